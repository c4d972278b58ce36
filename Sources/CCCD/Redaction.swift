/// Personal data never reaches logs through string conversion (see MRTD/Redaction.swift).
extension DG13: CustomStringConvertible {
    public var description: String { "DG13(\(fields.count) fields, redacted)" }
}

extension CitizenRecord: CustomStringConvertible {
    public var description: String { "CitizenRecord(redacted)" }
}

extension CardReadout: CustomStringConvertible {
    public var description: String { "CardReadout(\(reader), \(access.method), verdict \(verdict.rawValue), redacted)" }
}

extension CardReadout.Citizen: CustomStringConvertible {
    public var description: String { "Citizen(redacted)" }
}

extension CardReadout.Document: CustomStringConvertible {
    public var description: String { "Document(\(documentCode) \(issuingState), redacted)" }
}
