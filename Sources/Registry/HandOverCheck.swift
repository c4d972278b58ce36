import CCCD
import Foundation

/// Handing a verified card to its citizen, as a pure function: only after a confirming read of
/// the same chip the station verified (verdict genuine, the card's own data, chip evidence equal
/// to the stored one). The read is linked and recorded either way (a refused hand-over leaves its
/// read event); on success the card moves `verified → handedOver` through `StatusChanges.setCard`,
/// so the derived rules apply as for `cccd card set-status` (older cards replaced, an account
/// locked for `cardExpired` unlocked).
public enum HandOverCheck {
    public struct Result: Sendable, Hashable {
        /// The read's `registry` object.
        public var link: RegistryLink
        /// nil: handed over; otherwise why not (nothing but the read event was written).
        public var refusal: FieldWorkflowError?
    }

    /// The card a hand-over is for: the one issued `dateOfIssue`, or the citizen's only verified card.
    public static func card(_ s: Snapshot, dateOfIssue: String?) throws -> Card {
        guard s.citizen != nil else { throw FieldWorkflowError(.notFound, "no citizen with this ID number") }
        if let dateOfIssue {
            guard let c = s.cards.first(where: { $0.dateOfIssue == dateOfIssue }) else {
                throw FieldWorkflowError(.notFound, "no card issued \(dateOfIssue) for this citizen")
            }
            return c
        }
        let verified = s.cards.filter { $0.storedStatus == .verified }
        guard let only = verified.first else { throw FieldWorkflowError(.wrongStatus, "this citizen has no verified card to hand over") }
        guard verified.count == 1 else {
            throw FieldWorkflowError(.wrongStatus, "this citizen has \(verified.count) verified cards: give --issued")
        }
        return only
    }

    public static func plan(readout r: CardReadout, idNumber: String, dateOfIssue: String, snapshot s: Snapshot, context: ReadContext,
                            eventId: String, now: Date) throws -> (Mutation, Result) {
        let card = try Self.card(s, dateOfIssue: dateOfIssue)
        guard card.storedStatus == .verified else {
            throw FieldWorkflowError(.wrongStatus, "the card issued \(dateOfIssue) is \(card.storedStatus.rawValue), not verified: verify it first")
        }
        let linked = Linker.plan(readout: r, snapshot: s, context: context, eventId: eventId, now: now)
        func refuse(_ e: FieldWorkflowError) -> (Mutation, Result) { (linked.mutation, Result(link: linked.link, refusal: e)) }
        guard Linker.idNumber(of: r) == idNumber, Linker.normalized(r.citizen?.dateOfIssue) == dateOfIssue else {
            return refuse(FieldWorkflowError(.wrongCard, "the card on the reader is not the card issued \(dateOfIssue) to this citizen"))
        }
        guard r.verdict == .genuine, !r.simulated else {
            return refuse(FieldWorkflowError(.notGenuine, "the confirming read is \(r.verdict.rawValue), not genuine: the card is not handed over"))
        }
        guard let stored = card.chip else {
            return refuse(FieldWorkflowError(.noChipEvidence, "the card record holds no chip evidence: verify the card at the station first"))
        }
        guard let seen = ChipEvidence(readout: r), stored.matches(seen) else {
            return refuse(FieldWorkflowError(.differentChip, "the chip on the reader is not the chip verified for this card"))
        }
        var change = try StatusChanges.setCard(s.applying(linked.mutation), idNumber: idNumber, dateOfIssue: dateOfIssue, to: .handedOver,
                                               source: .officer, context: context, now: now)
        for i in change.events.indices { change.events[i].body["evidenceEventId"] = .string(eventId) }
        return (linked.mutation.followed(by: change), Result(link: linked.link, refusal: nil))
    }
}
