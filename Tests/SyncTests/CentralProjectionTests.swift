import Foundation
import Registry
import SyncProtocol
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

/// A device's token reaches only its own province and team.
struct DeviceScopeTests {
    static func event(id: String, team: String?) -> ReadEvent {
        ReadEvent.seal(EventDraft(at: Date(), kind: .vneidStatus, idNumber: id, team: team, body: ["to": .string("locked")]), device: "d", after: nil)
    }

    @Test func eventsOutsideTheDevicesProvinceOrTeamAreRefused() throws {
        let device = SyncDevice(name: "d", team: "Đội 3", province: "035")
        #expect(throws: Never.self) { try BatchValidation.scope([Self.event(id: "035099012345", team: "Đội 3")], device: device) }
        #expect(throws: Never.self) { try BatchValidation.scope([Self.event(id: "035099012345", team: nil)], device: device) }
        #expect(throws: SyncError.self) { try BatchValidation.scope([Self.event(id: "001099012345", team: "Đội 3")], device: device) }
        #expect(throws: SyncError.self) { try BatchValidation.scope([Self.event(id: "035099012345", team: "Đội 4")], device: device) }
        let anywhere = SyncDevice(name: "d", team: "Đội 3", province: nil)
        #expect(throws: Never.self) { try BatchValidation.scope([Self.event(id: "001099012345", team: "Đội 3")], device: anywhere) }
    }

    @Test func aPushedApplicationOnlyEverAsksForPendingLevelTwo() {
        let id = CentralProjectionTests.id
        let e = ReadEvent.seal(EventDraft(at: Date(), kind: .vneidApplication, idNumber: id, body: ["to": .string("active"), "level": .int(2)]),
                               device: "d", after: nil)
        let (m, conflict) = CentralProjection.plan(e, snapshot: CentralProjectionTests.snapshot(nil), now: Date())
        #expect(m.accounts.isEmpty && conflict?.code == "badApplication")
    }

    @Test func aNULInAColumnFieldIsABadEventNotARetry() throws {
        let e = ReadEvent.seal(EventDraft(at: Date(), kind: .seed, team: "a\u{0}b"), device: "d", after: nil)
        #expect(throws: SyncError.self) { _ = try EventValidation.event(WireEvent(payload: e.payload, hash: e.hash)) }
    }
}
