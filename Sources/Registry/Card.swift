import Foundation

/// One physical card. Successive cards of a citizen share the MRZ document number, so a card is
/// identified by (ID number, date of issue) and, once its chip was read and verified, by its chip
/// evidence.
public struct Card: Codable, Sendable, Hashable {
    public var idNumber: String
    /// ISO 8601.
    public var dateOfIssue: String
    /// ISO 8601; nil: the card never expires (cards renewed at 60 or later).
    public var dateOfExpiry: String?
    /// The stored status (never `expired`; see `status(on:)`).
    public var storedStatus: CardStatus
    /// The CAN, for stations that open the card without typing it (never in events or logs).
    public var can: String?
    /// Set by the first genuine read of this card.
    public var chip: ChipEvidence?
    /// Why the card is in its stored status, as stable codes (today only `reprint` has them: the
    /// failed checks, e.g. `sodSignatureInvalid`, `dataMismatch`, `unreadable`); empty otherwise.
    public var statusReasons: [String] = []
    public var updatedAt: Date
    public var source: RecordSource

    public init(idNumber: String, dateOfIssue: String, dateOfExpiry: String?, status: CardStatus, can: String? = nil,
                chip: ChipEvidence? = nil, updatedAt: Date = Date(timeIntervalSince1970: 0), source: RecordSource = .registry,
                statusReasons: [String] = []) {
        self.idNumber = idNumber
        self.dateOfIssue = dateOfIssue
        self.dateOfExpiry = dateOfExpiry
        self.storedStatus = status
        self.can = can
        self.chip = chip
        self.updatedAt = updatedAt
        self.source = source
        self.statusReasons = statusReasons
    }

    /// The status on a given day (ISO): a card past its date of expiry is `expired` unless it was
    /// already revoked, lost or replaced; a card without expiry never expires.
    public func status(on day: String) -> CardStatus {
        if let e = dateOfExpiry, e < day, ![.revoked, .reportedLost, .replaced].contains(storedStatus) { return .expired }
        return storedStatus
    }

    public func validate() throws {
        guard idNumber.count == 12, idNumber.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw RegistryError.invalidRecord("idNumber must be exactly 12 digits")
        }
        guard ISODate.validated(dateOfIssue) != nil else { throw RegistryError.invalidRecord("dateOfIssue is not a YYYY-MM-DD date") }
        if let e = dateOfExpiry {
            guard ISODate.validated(e) != nil else { throw RegistryError.invalidRecord("dateOfExpiry is not a YYYY-MM-DD date") }
            guard e > dateOfIssue else { throw RegistryError.invalidRecord("dateOfExpiry is not after dateOfIssue") }
        }
        if storedStatus == .expired { throw RegistryError.expiryIsDerived }
        if let can, !(can.count == 6 && can.allSatisfy({ $0.isASCII && $0.isNumber })) {
            throw RegistryError.invalidRecord("can must be 6 digits")
        }
    }
}
