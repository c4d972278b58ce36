import Foundation

/// Taking a level-2 VNeID application in the field, as a pure function. Level 2 is granted on a
/// genuine read of the citizen's own chip card in person, so the application needs the evidence:
/// a `read` event recorded on this device within `window` (default 10 minutes), verdict genuine,
/// of this ID number, linked to a card of the registry that is the citizen's valid card (not
/// revoked, reported lost, replaced or expired; not a different chip; not the built-in simulated
/// card). The event id goes into the application event's body; the account moves to `pending`
/// level 2 through the checked transition (so an active or locked account is refused: exit 2).
public enum LevelTwoApplication {
    public static let defaultWindow: TimeInterval = 600

    public struct Result: Sendable, Hashable {
        public var account: VNeIDAccount
        /// The application event.
        public var eventId: String
        /// The read event it rests on.
        public var evidenceEventId: String
    }

    /// The newest qualifying read among `events` (any order), or the reason there is none.
    public static func evidence(_ events: [ReadEvent], idNumber: String, snapshot s: Snapshot, device: String, now: Date,
                                window: TimeInterval) throws -> ReadEvent {
        let from = ISODate.timestamp(now.addingTimeInterval(-window))
        // A minute of clock skew tolerated ahead (the event was written by this device's clock).
        let to = ISODate.timestamp(now.addingTimeInterval(60))
        let fresh = events.filter { $0.kind == .read && $0.device == device && $0.idNumber == idNumber && $0.at >= from && $0.at <= to }
            .sorted { ($0.at, $0.seq) > ($1.at, $1.seq) }
        let genuine = fresh.filter { e in
            let body = e.content?["body"]
            return body?["verdict"]?.stringValue == "genuine" && body?["simulated"] != .bool(true)
        }
        let minutes = Int((window / 60).rounded())
        guard !genuine.isEmpty else {
            throw FieldWorkflowError(.noFreshRead, "no genuine read of this citizen's card on this device in the last \(minutes) minutes: read the card first")
        }
        let today = ISODate.day(of: now)
        for e in genuine {
            let link = e.content?["body"]?["link"]
            guard let issued = link?["card"]?["dateOfIssue"]?.stringValue, let card = s.cards.first(where: { $0.dateOfIssue == issued }) else { continue }
            let alerts = (link?["alerts"]).flatMap { v -> [String]? in if case .array(let a) = v { return a.compactMap(\.stringValue) } else { return nil } } ?? []
            if alerts.contains("differentChip") { continue }
            if [.revoked, .reportedLost, .replaced, .expired].contains(card.status(on: today)) { continue }
            if s.cards.contains(where: { $0.dateOfIssue > card.dateOfIssue && $0.storedStatus.wasHandedOver }) { continue }
            return e
        }
        throw FieldWorkflowError(.cardNotValid, "the card read is not this citizen's valid card (revoked, lost, replaced, expired, another chip or not in the registry)")
    }

    public static func plan(snapshot s: Snapshot, idNumber: String, level: Int, phone: VietnameseMobileNumber, evidence: ReadEvent,
                            context: ReadContext, now: Date) throws -> (Mutation, Result) {
        guard s.citizen != nil else { throw FieldWorkflowError(.notFound, "no citizen with this ID number") }
        let old = s.account ?? VNeIDAccount(idNumber: idNumber, status: .notRegistered, source: .officer, observedAt: now)
        let next = try old.changed(to: .pending, level: level, reason: nil, source: .officer, at: now)
        let event = EventDraft(at: now, kind: .vneidApplication, idNumber: idNumber, station: context.station, team: context.team,
                               operator: context.operator, body: [
                                   "level": .int(level), "from": .string(old.status.rawValue), "to": .string(next.status.rawValue),
                                   "evidenceEventId": .string(evidence.id),
                                   "phone": .object(["masked": .string(phone.masked), "digest": .string(phone.digest(idNumber: idNumber))]),
                               ])
        return (Mutation(accounts: [next], events: [event]), Result(account: next, eventId: event.id, evidenceEventId: evidence.id))
    }
}
