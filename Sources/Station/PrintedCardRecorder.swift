import CCCD
import Foundation
import Registry

/// Checks each printed card read against its issuance record (`PrintedCardCheck`) and writes
/// the outcome in one store transaction: the read event, the card `verified` with its chip
/// evidence, or `reprint` with its reasons.
///
/// Which record: the one whose CAN opened the card (`ReadoutContext.accessLabel`, written by
/// `PrintedCardVerifier.candidates`). Records sharing that CAN are told apart by the chip's own
/// ID number and date of issue; a chip matching none of them is checked against the first
/// (and is a reprint: it holds another card's data).
public struct PrintedCardRecorder: ReadoutRecorder {
    public let store: any RegistryStore
    public let context: ReadContext
    public let now: @Sendable () -> Date

    public init(store: any RegistryStore, context: ReadContext, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.context = context
        self.now = now
    }

    public func record(_ readout: CardReadout, context read: ReadoutContext) async throws -> PrintedCardOutcome? {
        let records = try Self.records(read)
        let chipID = Linker.idNumber(of: readout)
        let chipIssue = readout.citizen?.dateOfIssue
        let (id, issued) = records.first { $0.0 == chipID && $0.1 == chipIssue } ?? records[0]
        let at = now()
        let eventId = UUIDv7.make(at: at)
        let context = self.context
        let result = try await store.transact(ids: [id], device: context.device) { snaps in
            try PrintedCardCheck.plan(readout: readout, idNumber: id, dateOfIssue: issued, snapshot: snaps[id] ?? Snapshot(), context: context,
                                      eventId: eventId, now: at)
        }
        return PrintedCardOutcome(reader: read.card.reader, idNumber: id, dateOfIssue: issued, outcome: result.outcome == .verified ? .verified : .reprint,
                                  reasons: result.reasons, eventId: result.eventId, error: nil, readout: readout, link: result.link,
                                  duration: read.duration)
    }

    /// A chip that opened with a record's CAN and then could not be read (it broke the protocol or
    /// served a file that does not parse) is the card's fault: `reprint`, reasons `unreadable` and
    /// the error code. Anything else (removed, timeout, reader trouble, no key opened it) is not
    /// recorded: the outcome is an error and the card can be presented again.
    public func recordFailure(_ error: StationError, context read: ReadoutContext) async throws -> PrintedCardOutcome? {
        guard read.accessLabel != nil, [.cardError, .malformedCard].contains(error.code) else { return nil }
        let (id, issued) = try Self.records(read)[0]
        let at = now()
        let context = self.context
        let result = try await store.transact(ids: [id], device: context.device) { snaps in
            try PrintedCardCheck.planUnreadable(idNumber: id, dateOfIssue: issued, errorCode: error.code.rawValue, snapshot: snaps[id] ?? Snapshot(),
                                                context: context, now: at)
        }
        return PrintedCardOutcome(reader: read.card.reader, idNumber: id, dateOfIssue: issued, outcome: .reprint, reasons: result.reasons,
                                  eventId: result.eventId, error: error, readout: nil, link: nil, duration: read.duration)
    }

    /// The card records behind the opening key's label (`ID/DATE`, several joined by `|`).
    static func records(_ read: ReadoutContext) throws -> [(String, String)] {
        let records = (read.accessLabel ?? "").split(separator: "|").compactMap { part -> (String, String)? in
            let p = part.split(separator: "/")
            return p.count == 2 ? (String(p[0]), String(p[1])) : nil
        }
        guard !records.isEmpty else {
            throw StationError(code: .internal, message: "the card was not opened with a printed card's CAN")
        }
        return records
    }

    static func label(_ cards: [Card]) -> String {
        cards.map { $0.idNumber + "/" + $0.dateOfIssue }.joined(separator: "|")
    }
}
