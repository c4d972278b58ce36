import Foundation

/// Officers' status changes: checked transitions, the derived consequences, and the event.
public enum StatusChanges {
    /// `cccd card set-status ID --issued DATE STATUS`; `origin` decides what the change may skip
    /// (`ChangeOrigin`: an officer, a device's event at the centre, the centre's feed on a device).
    public static func setCard(_ s: Snapshot, idNumber: String, dateOfIssue: String, to status: CardStatus, source: RecordSource,
                               context: ReadContext, now: Date, origin: ChangeOrigin = .officer) throws -> Mutation {
        guard s.citizen != nil else { throw RegistryError.notFound("no citizen with this ID number") }
        guard let old = s.cards.first(where: { $0.dateOfIssue == dateOfIssue }) else {
            throw RegistryError.notFound("no card issued \(dateOfIssue) for this citizen")
        }
        try old.storedStatus.checkTransition(to: status)
        try origin.check(old, to: status)
        var card = old
        card.storedStatus = status
        card.updatedAt = now
        card.source = source
        if status != old.storedStatus { card.statusReasons = [] }
        // A card printed again after `reprint` carries a new chip: the old evidence describes nothing.
        if old.storedStatus == .reprint && status == .printed { card.chip = nil }
        var m = Mutation(cards: [card])
        var cards = s.cards.map { $0.dateOfIssue == dateOfIssue ? card : $0 }
        let replaced = DerivedRules.replacedBy(card, among: cards, now: now)
        m.cards += replaced
        for r in replaced { cards = cards.map { $0.dateOfIssue == r.dateOfIssue ? r : $0 } }
        var derived = replaced.map { JSONValue.object(["entity": .string("card"), "dateOfIssue": .string($0.dateOfIssue), "to": .string("replaced")]) }
        if let next = DerivedRules.account(s.account, cards: cards, today: ISODate.day(of: now), now: now) {
            m.accounts.append(next)
            derived.append(.object(["entity": .string("vneid"), "from": .optional(s.account?.status.rawValue), "to": .string(next.status.rawValue),
                                    "reason": .optional(next.reason?.rawValue)]))
        }
        m.events.append(EventDraft(at: now, kind: .cardStatus, idNumber: idNumber, station: context.station, team: context.team,
                                   operator: context.operator, body: [
                                       "dateOfIssue": .string(dateOfIssue), "from": .string(old.storedStatus.rawValue),
                                       "to": .string(status.rawValue), "source": .string(source.rawValue), "derived": .array(derived)]))
        return m
    }

    /// `cccd vneid set-status ID STATUS [--level N] [--reason R]`. A citizen without an account
    /// starts from `notRegistered`.
    public static func setAccount(_ s: Snapshot, idNumber: String, to status: VNeIDStatus, level: Int?, reason: LockReason?,
                                  source: RecordSource, context: ReadContext, now: Date) throws -> Mutation {
        guard s.citizen != nil else { throw RegistryError.notFound("no citizen with this ID number") }
        let old = s.account ?? VNeIDAccount(idNumber: idNumber, status: .notRegistered, source: source, observedAt: now)
        let next = try old.changed(to: status, level: level, reason: reason, source: source, at: now)
        return Mutation(accounts: [next], events: [EventDraft(
            at: now, kind: .vneidStatus, idNumber: idNumber, station: context.station, team: context.team, operator: context.operator,
            body: ["from": .string(old.status.rawValue), "to": .string(next.status.rawValue), "level": .optional(next.level),
                   "reason": .optional(next.reason?.rawValue), "source": .string(source.rawValue)])])
    }
}
