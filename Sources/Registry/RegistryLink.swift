import Foundation

/// The `registry` object of `cccd read --json` (README, issue 10): what the registry says about
/// the card just read. Keys are stable.
public struct RegistryLink: Sendable, Hashable, Encodable {
    public enum CitizenOutcome: String, Sendable, Hashable, Codable { case found, notFound }

    /// How this chip relates to the evidence stored for the card.
    public enum ChipOutcome: String, Sendable, Hashable, Codable {
        /// Same evidence as the earlier verified read.
        case sameChip
        /// No evidence stored yet; this genuine read stored it.
        case firstRead
        /// The card's record holds evidence from an earlier verified read and this chip differs.
        case differentChip
        /// Nothing to compare (no evidence stored and this read is not genuine, or no SOD read).
        case unknown
    }

    public enum Alert: String, Sendable, Hashable, Codable, CaseIterable {
        case citizenNotFound, cardNotFound, dataMismatch, cardRevoked, cardReportedLost, cardReplaced, cardExpired, differentChip
    }

    public struct Discrepancy: Sendable, Hashable, Codable {
        public var field: String
        public var card: String?
        public var record: String?
        public init(field: String, card: String?, record: String?) {
            self.field = field
            self.card = card
            self.record = record
        }
    }

    public struct CardOutcome: Sendable, Hashable, Codable {
        public var status: CardStatus
        public var dateOfIssue: String
        public var chip: ChipOutcome
    }

    public struct VNeIDOutcome: Sendable, Hashable, Encodable {
        public var status: VNeIDStatus
        public var level: Int?
        public var reason: LockReason?
        public var source: RecordSource
        public var observedAt: Date

        public init(status: VNeIDStatus, level: Int?, reason: LockReason?, source: RecordSource, observedAt: Date) {
            self.status = status
            self.level = level
            self.reason = reason
            self.source = source
            self.observedAt = observedAt
        }

        enum Keys: String, CodingKey { case status, level, reason, source, observedAt }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(status, forKey: .status)
            try c.encode(level, forKey: .level)
            try c.encode(reason, forKey: .reason)
            try c.encode(source, forKey: .source)
            try c.encode(ISODate.timestamp(observedAt), forKey: .observedAt)
        }
    }

    public var citizen: CitizenOutcome
    public var discrepancies: [Discrepancy]
    public var card: CardOutcome?
    public var vneid: VNeIDOutcome?
    public var alerts: [Alert]
    public var eventId: String

    enum Keys: String, CodingKey { case citizen, discrepancies, card, vneid, alerts, eventId }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(citizen, forKey: .citizen)
        try c.encode(discrepancies, forKey: .discrepancies)
        try c.encode(card, forKey: .card)
        try c.encode(vneid, forKey: .vneid)
        try c.encode(alerts, forKey: .alerts)
        try c.encode(eventId, forKey: .eventId)
    }

    /// The event's record of the outcome (no personal values beyond field names and the card's date).
    var eventValue: JSONValue {
        .object([
            "citizen": .string(citizen.rawValue),
            "discrepancies": .array(discrepancies.map { .object(["field": .string($0.field), "card": .optional($0.card), "record": .optional($0.record)]) }),
            "card": card.map { .object(["status": .string($0.status.rawValue), "dateOfIssue": .string($0.dateOfIssue), "chip": .string($0.chip.rawValue)]) } ?? .null,
            "vneid": vneid.map { .object(["status": .string($0.status.rawValue), "level": .optional($0.level), "reason": .optional($0.reason?.rawValue),
                                           "source": .string($0.source.rawValue), "observedAt": .string(ISODate.timestamp($0.observedAt))]) } ?? .null,
            "alerts": .array(alerts.map { .string($0.rawValue) }),
        ])
    }
}
