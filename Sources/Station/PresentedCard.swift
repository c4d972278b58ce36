import Foundation

/// A card a reader reported: where it is and what it answered to reset. Nothing here comes from
/// the chip's protected data, so it may be logged.
public struct PresentedCard: Sendable, Hashable {
    /// The PC/SC reader name (or a description, for a card read over another channel).
    public let reader: String
    /// The card's Answer To Reset.
    public let atr: [UInt8]
    /// When the card was seen in the reader.
    public let presentedAt: Date

    public init(reader: String, atr: [UInt8], presentedAt: Date = Date()) {
        self.reader = reader
        self.atr = atr
        self.presentedAt = presentedAt
    }
}
