import CCCD
import Foundation
import Registry

/// What became of one card presented to `PrintedCardVerifier`.
///
/// Encodes as the JSON line of `cccd station verify-printed --json`, exactly
/// `{"reader", "idNumber", "outcome": "verified" | "reprint" | "error", "reasons": [...], "eventId"}`
/// (`idNumber`/`eventId` null when unknown). An `error` outcome changed no record: the card was
/// not identified (`accessDenied`: no printed card's CAN opens it) or the read failed for a
/// reason that is not the card's (`cardRemoved`, `timeout`, `communication`, …) — present it again.
public struct PrintedCardOutcome: Sendable, Encodable {
    public enum Result: String, Sendable, Hashable, Codable {
        case verified, reprint, error
    }

    public var reader: String
    /// The card record checked (nil for an error).
    public var idNumber: String?
    public var dateOfIssue: String?
    public var outcome: Result
    /// Stable codes (`PrintedCardCheck.reasons`; `unreadable` plus the station error code for a
    /// chip that opened but could not be read); empty when verified or on error.
    public var reasons: [String]
    /// The read event (or, for an unreadable chip, the card's status event); nil on error.
    public var eventId: String?
    /// Why an `error` outcome happened.
    public var error: StationError?
    /// The read itself, when the chip was read (a console shows the photo and name from it).
    public var readout: CardReadout?
    /// The read's `registry` object, when the chip was read.
    public var link: RegistryLink?
    /// From the card's presentation to the end of recording.
    public var duration: Duration

    public init(reader: String, idNumber: String?, dateOfIssue: String?, outcome: Result, reasons: [String], eventId: String?,
                error: StationError?, readout: CardReadout?, link: RegistryLink?, duration: Duration) {
        self.reader = reader
        self.idNumber = idNumber
        self.dateOfIssue = dateOfIssue
        self.outcome = outcome
        self.reasons = reasons
        self.eventId = eventId
        self.error = error
        self.readout = readout
        self.link = link
        self.duration = duration
    }

    /// The outcome a station reported: the recorder's verdict on the card, or an `error`.
    public init(_ o: ReadOutcome<PrintedCardOutcome>) {
        if var record = o.record {
            record.duration = o.duration
            self = record
        } else {
            let e = o.error ?? StationError(code: .internal, message: "no record and no error")
            self.init(reader: o.card.reader, idNumber: nil, dateOfIssue: nil, outcome: .error, reasons: [], eventId: nil, error: e,
                      readout: o.readout, link: nil, duration: o.duration)
        }
    }

    enum Keys: String, CodingKey { case reader, idNumber, outcome, reasons, eventId }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(reader, forKey: .reader)
        try c.encode(idNumber, forKey: .idNumber)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(eventId, forKey: .eventId)
    }
}
