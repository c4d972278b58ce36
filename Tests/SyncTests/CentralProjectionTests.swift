import Foundation
import Registry
import Testing

/// How the centre applies a device's level-2 application: the same checked transition the device
/// made, from the centre's own state.
struct CentralProjectionTests {
    static let id = "035099012345"

    static func application(from: VNeIDStatus) -> ReadEvent {
        let draft = EventDraft(at: Date(), kind: .vneidApplication, idNumber: id, team: "team-1", body: [
            "level": .int(2), "from": .string(from.rawValue), "to": .string("pending"), "evidenceEventId": .string(UUIDv7.make()),
            "phone": .object(["masked": .string("+84******678"), "digest": .string(String(repeating: "a", count: 64))]),
        ])
        return ReadEvent.seal(draft, device: "team-1-laptop", after: nil)
    }

    static func snapshot(_ account: VNeIDAccount?) -> Snapshot {
        Snapshot(citizen: Citizen(idNumber: id, fullName: "Nguyễn Văn An", dateOfBirth: "1999-02-01", sex: "M"),
                 cards: [Card(idNumber: id, dateOfIssue: "2021-05-10", dateOfExpiry: "2039-02-01", status: .handedOver)], account: account)
    }

    @Test func aLevelTwoApplicationMakesTheCentralAccountPending() {
        let e = Self.application(from: .active)
        #expect(CentralProjection.touches(e) == Self.id)
        let (m, conflict) = CentralProjection.plan(e, snapshot: Self.snapshot(VNeIDAccount(idNumber: Self.id, status: .active, level: 1)), now: Date())
        #expect(conflict == nil)
        #expect(m.accounts.first?.status == .pending && m.accounts.first?.level == 2)
        #expect(m.events.isEmpty, "the device's event is the record of the change")
    }

    @Test func anApplicationTheCentreForbidsIsAConflictNotAChange() {
        let locked = VNeIDAccount(idNumber: Self.id, status: .locked, level: 2, reason: .authority)
        let (m, conflict) = CentralProjection.plan(Self.application(from: .notRegistered), snapshot: Self.snapshot(locked), now: Date())
        #expect(m.accounts.isEmpty)
        #expect(conflict != nil)
    }
}
