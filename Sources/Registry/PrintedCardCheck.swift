import CCCD
import Foundation
import MRTD

/// The issuing station's check of a freshly printed card, as pure functions: from the read and
/// the citizen's snapshot to the outcome (`verified` or `reprint` with reasons) and the rows to
/// write — the read event (through `Linker`, as every read), the card's new status with its chip
/// evidence or its reasons, and a `cardStatus` event naming the read as evidence. Stores run it
/// inside one transaction.
public enum PrintedCardCheck {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Genuine, data as issued: the card is `verified` and its chip evidence stored.
        case verified
        /// Anything wrong: the card is `reprint`, its record holding the reasons.
        case reprint
    }

    /// What the check decided for one card.
    public struct Result: Sendable, Hashable {
        public var outcome: Outcome
        /// Stable codes, in a fixed order; empty when verified. See `reasons(readout:link:card:)`.
        public var reasons: [String]
        /// The card record checked.
        public var idNumber: String
        public var dateOfIssue: String
        /// The read event (the evidence); for an unreadable chip, the status event.
        public var eventId: String
        /// The read's `registry` object (nil for an unreadable chip).
        public var link: RegistryLink?
    }

    /// The reason codes of a read of the printed card `card`:
    /// - every check that did not pass, by its check code (README "Check codes": e.g.
    ///   `sodSignatureInvalid`, `dataGroupHashMismatch`, `chipKeyMismatch`, `signerUnknown`),
    ///   leaving out `readAborted` (a consequence, not a cause); `notGenuine` when the verdict is
    ///   not genuine and no check names a cause;
    /// - `idNumberMismatch` / `dateOfIssueMismatch`: the chip holds another citizen's or another
    ///   card's data than the record its CAN belongs to;
    /// - `dataMismatch`: personal data or date of expiry differ from the issuance record;
    /// - `differentChip`: the record already holds evidence of another chip;
    /// - `simulatedCard`: the built-in simulated card (never verifies a record).
    public static func reasons(readout r: CardReadout, link: RegistryLink, card: Card) -> [String] {
        var out = [String]()
        func add(_ s: String) { if !out.contains(s) { out.append(s) } }
        let v = r.verification
        let failing: [(Bool, CheckCode)] = [
            (v.access.status == .failed || v.access.status == .skipped, v.access.code),
            (v.passive.status != .passed, v.passive.code),
            (v.signer.status != .trusted, v.signer.code),
            (v.chip.status == .failed || v.chip.status == .skipped, v.chip.code),
            (v.active.status == .failed || v.active.status == .skipped, v.active.code),
            (v.consistency.status != .passed, v.consistency.code),
        ]
        for (bad, code) in failing where bad && code != .readAborted { add(code.rawValue) }
        if r.verdict != .genuine && out.isEmpty { add("notGenuine") }
        let sameID = Linker.idNumber(of: r) == card.idNumber
        if !sameID { add("idNumberMismatch") }
        if let issued = r.citizen?.dateOfIssue, Linker.normalized(issued) != card.dateOfIssue { add("dateOfIssueMismatch") }
        if sameID && !link.discrepancies.isEmpty { add("dataMismatch") }
        if link.card?.chip == .differentChip { add("differentChip") }
        if r.simulated { add("simulatedCard") }
        return out
    }

    /// Checks the read `r` of the printed card (`idNumber`, `dateOfIssue`) against the snapshot.
    /// Throws `FieldWorkflowError` (`notFound`, `wrongStatus`) when there is no such printed card:
    /// then nothing is written.
    public static func plan(readout r: CardReadout, idNumber: String, dateOfIssue: String, snapshot s: Snapshot, context: ReadContext,
                            eventId: String, now: Date) throws -> (Mutation, Result) {
        let card = try printedCard(s, idNumber: idNumber, dateOfIssue: dateOfIssue)
        let linked = Linker.plan(readout: r, snapshot: s, context: context, eventId: eventId, now: now)
        let reasons = Self.reasons(readout: r, link: linked.link, card: card)
        let outcome: Outcome = reasons.isEmpty && r.verdict == .genuine ? .verified : .reprint
        var next = linked.mutation.cards.first { $0.idNumber == idNumber && $0.dateOfIssue == dateOfIssue } ?? card
        if outcome == .verified, next.chip == nil, let seen = ChipEvidence(readout: r) { next.chip = seen }
        // A card to be destroyed keeps no evidence: it must never match a later read.
        if outcome == .reprint { next.chip = card.chip }
        let change = statusChange(card, to: next, outcome: outcome, reasons: reasons, context: context, evidence: eventId, now: now)
        let result = Result(outcome: outcome, reasons: reasons, idNumber: idNumber, dateOfIssue: dateOfIssue, eventId: eventId, link: linked.link)
        return (linked.mutation.followed(by: change), result)
    }

    /// A printed card whose chip let the station in with its CAN but could not be read (the chip
    /// broke the protocol or served a file that does not parse): `reprint`, reasons `unreadable`
    /// and the station's error code (e.g. `malformedCard`). No read event exists; the status
    /// event is the record.
    public static func planUnreadable(idNumber: String, dateOfIssue: String, errorCode: String, snapshot s: Snapshot,
                                      context: ReadContext, now: Date) throws -> (Mutation, Result) {
        let card = try printedCard(s, idNumber: idNumber, dateOfIssue: dateOfIssue)
        let reasons = ["unreadable", errorCode].reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let change = statusChange(card, to: card, outcome: .reprint, reasons: reasons, context: context, evidence: nil, now: now)
        let id = change.events.first?.id ?? UUIDv7.make(at: now)
        return (change, Result(outcome: .reprint, reasons: reasons, idNumber: idNumber, dateOfIssue: dateOfIssue, eventId: id, link: nil))
    }

    static func printedCard(_ s: Snapshot, idNumber: String, dateOfIssue: String) throws -> Card {
        guard s.citizen != nil, let card = s.cards.first(where: { $0.dateOfIssue == dateOfIssue }) else {
            throw FieldWorkflowError(.notFound, "no card issued \(dateOfIssue) for this citizen")
        }
        guard card.storedStatus == .printed else {
            throw FieldWorkflowError(.wrongStatus, "the card issued \(dateOfIssue) is \(card.storedStatus.rawValue), not printed")
        }
        return card
    }

    /// The card's new status and the `cardStatus` event (its reasons, and the read that decided).
    static func statusChange(_ old: Card, to card: Card, outcome: Outcome, reasons: [String], context: ReadContext, evidence: String?,
                             now: Date) -> Mutation {
        var next = card
        next.storedStatus = outcome == .verified ? .verified : .reprint
        next.statusReasons = outcome == .verified ? [] : reasons
        next.updatedAt = now
        next.source = .officer
        let event = EventDraft(at: now, kind: .cardStatus, idNumber: old.idNumber, station: context.station, team: context.team,
                               operator: context.operator, body: [
                                   "dateOfIssue": .string(old.dateOfIssue), "from": .string(old.storedStatus.rawValue),
                                   "to": .string(next.storedStatus.rawValue), "source": .string(RecordSource.officer.rawValue),
                                   "reasons": .array(reasons.map { .string($0) }), "evidenceEventId": .optional(evidence),
                                   "derived": .array([])])
        return Mutation(cards: [next], events: [event])
    }
}
