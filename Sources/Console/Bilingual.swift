/// A text for the operator, Vietnamese first with English beside it (the page shows
/// "Vietnamese (English)"). Never carries personal data: names and numbers travel in their own fields.
public struct Bilingual: Sendable, Hashable, Encodable {
    public var vi: String
    public var en: String

    public init(_ vi: String, _ en: String) {
        self.vi = vi
        self.en = en
    }
}
