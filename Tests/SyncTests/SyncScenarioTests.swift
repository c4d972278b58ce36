import Foundation
import Registry
import RegistryPostgres
import RegistrySQLite
import SyncClient
import SyncProtocol
import SyncServer
import Testing

/// Exactly-once sync in process: the service on 127.0.0.1, a real PostgreSQL centre, SQLite
/// devices. Counts are checked on both sides after every scenario.
@Suite(.enabled(if: SyncFixture.postgresAvailable), .serialized)
struct SyncScenarioTests {
    @Test func happyPathPushesEverythingOnceAndPullsTheCentresApproval() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let device = try await SyncFixture.device()
        try await SyncFixture.putCitizen(central, account: .pending)
        try await SyncFixture.putCitizen(device, account: .pending)
        try await SyncFixture.record(240, on: device, device: "team-1-laptop")
        // A state change in the field: the card reported lost by the team.
        try await device.transact(ids: [SyncFixture.citizenID], device: "team-1-laptop") { s in
            (try StatusChanges.setCard(s[SyncFixture.citizenID] ?? Snapshot(), idNumber: SyncFixture.citizenID, dateOfIssue: "2021-05-10",
                                       to: .reportedLost, source: .officer, context: ReadContext(team: "team-1", device: "team-1-laptop"), now: Date()), ())
        }
        // The centre approves the pending account (an officer at the centre).
        try await central.transact(ids: [SyncFixture.citizenID], device: "centre") { s in
            (try StatusChanges.setAccount(s[SyncFixture.citizenID] ?? Snapshot(), idNumber: SyncFixture.citizenID, to: .approved, level: 1, reason: nil,
                                          source: .officer, context: ReadContext(device: "centre"), now: Date()), ())
        }
        let token = try await SyncFixture.enrol(central, device: "team-1-laptop")
        await #expect(throws: RegistryError.self) { _ = try await SyncFixture.enrol(central, device: "centre") } // the centre's own chain
        await #expect(throws: RegistryError.self) { _ = try await SyncFixture.enrol(central, device: "team-1-laptop") } // enrolled, not revoked
        let client = try SyncClient(url: service.url, token: token)
        let summary = try await SyncRunner(store: device, client: client, batchSize: 100).run()
        #expect(summary.pushed == 241 && summary.duplicates == 0 && summary.remaining == 0 && summary.conflicts == 0)
        #expect(summary.pulled == 1)
        #expect(try await SyncFixture.centralCount(central, device: "team-1-laptop") == 241)
        #expect(try await device.unsyncedCount(device: nil) == 0)
        // The central records took the field's change; the device took the centre's.
        #expect(try await central.snapshot(SyncFixture.citizenID).cards.first?.storedStatus == .reportedLost)
        #expect(try await device.snapshot(SyncFixture.citizenID).account?.status == .approved)
        // The pulled update is not a new event of the device: nothing more to push.
        let again = try await SyncRunner(store: device, client: client, batchSize: 100).run()
        #expect(again.pushed == 0 && again.duplicates == 0 && again.pulled == 0 && again.remaining == 0)
        let audit = try await central.verifyAudit()
        #expect(audit.firstBreak == nil && audit.events == 241 + 1) // the device's chain and the centre's approval
        await client.shutdown()
        await service.stop()
        try await central.close()
    }

    @Test func replayedBatchIsAcknowledgedNotStoredTwice() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(50, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        let client = try SyncClient(url: service.url, token: token)
        let batch = EventBatch(device: "d1", events: try await device.pendingOutbox(device: "d1", after: 0, limit: 50).map(WireEvent.init))
        let first = try await client.push(batch)
        let second = try await client.push(batch)
        #expect(first.receipts.allSatisfy { $0.result == .stored } && first.receipts.count == 50)
        #expect(second.receipts.allSatisfy { $0.result == .duplicate } && second.receipts.count == 50)
        #expect(second.head == first.head && first.head?.seq == 50)
        // A replay of an older part of the chain after newer events: duplicates, head unchanged.
        try await SyncFixture.record(10, on: device, device: "d1")
        _ = try await SyncRunner(store: device, client: client).run()
        let partial = try await client.push(EventBatch(device: "d1", events: Array(batch.events.prefix(5))))
        #expect(partial.receipts.map(\.result) == Array(repeating: .duplicate, count: 5) && partial.head?.seq == 60)
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 60)
        #expect(try await device.unsyncedCount(device: "d1") == 0)
        await client.shutdown()
        await service.stop()
        try await central.close()
    }

    @Test func responseLostAfterCommitIsCompletedByTheNextSync() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(300, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        let client = try SyncClient(url: service.url, token: token)
        service.faults.loseResponsesAfterCommit(1)
        await #expect(throws: SyncClientError.self) { _ = try await SyncRunner(store: device, client: client, batchSize: 120).run() }
        // The centre committed the first batch; the device never saw the receipt.
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 120)
        #expect(try await device.unsyncedCount(device: "d1") == 300)
        let s = try await SyncRunner(store: device, client: client, batchSize: 120).run()
        #expect(s.duplicates == 120 && s.pushed == 180 && s.remaining == 0)
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 300)
        #expect(try await central.verifyAudit().firstBreak == nil)
        await client.shutdown()
        await service.stop()
        try await central.close()
    }

    @Test func tamperedChainsGapsAndForeignDevicesAreRefusedWithNothingStored() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(20, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        let client = try SyncClient(url: service.url, token: token)
        let events = try await device.pendingOutbox(device: "d1", after: 0, limit: 20)
        _ = try await client.push(EventBatch(device: "d1", events: events.prefix(10).map(WireEvent.init)))

        func refusal(_ batch: EventBatch) async -> SyncError? {
            do { _ = try await client.push(batch); return nil } catch { if case .refused(let e) = error { return e }; return nil }
        }
        // A gap: event 12 without 11.
        #expect(await refusal(EventBatch(device: "d1", events: [WireEvent(events[11])]))?.code == .sequenceGap)
        // Another chain under the same name (a store rebuilt or altered): event 11 linking to a different 10.
        let forged = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: ["file": .string("forged")]), device: "d1",
                                    after: (seq: 10, hash: String(repeating: "a", count: 64)))
        let chain = await refusal(EventBatch(device: "d1", events: [WireEvent(forged)]))
        #expect(chain?.code == .chainBroken && chain?.seq == 11)
        // Another event at a stored position.
        let other = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d1", after: nil)
        #expect(await refusal(EventBatch(device: "d1", events: [WireEvent(other)]))?.code == .sequenceConflict)
        // An altered payload (hash no longer matches).
        var altered = WireEvent(events[10])
        altered.payload = altered.payload.replacingOccurrences(of: "team-1", with: "team-2")
        #expect(await refusal(EventBatch(device: "d1", events: [altered]))?.code == .hashMismatch)
        // A batch naming another device than the token's.
        let foreign = ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d2", after: nil)
        #expect(await refusal(EventBatch(device: "d2", events: [WireEvent(foreign)]))?.code == .deviceMismatch)
        // A good batch whose last event breaks the link: refused whole, its good events not stored.
        var mixed = events[10..<15].map(WireEvent.init)
        mixed.append(WireEvent(ReadEvent.seal(EventDraft(at: Date(), kind: .importFile, body: [:]), device: "d1", after: (seq: 15, hash: String(repeating: "b", count: 64)))))
        #expect(await refusal(EventBatch(device: "d1", events: mixed))?.code == .chainBroken)
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 10)
        #expect(try await central.verifyAudit().firstBreak == nil)
        // The device's true chain still completes.
        let s = try await SyncRunner(store: device, client: client).run()
        #expect(s.pushed == 10 && s.duplicates == 10) // the first ten were pushed by hand, never acknowledged
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 20)
        await client.shutdown()
        await service.stop()
        try await central.close()
    }

    @Test func revokedTokenIsRefused() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let device = try await SyncFixture.device()
        try await SyncFixture.record(5, on: device, device: "d1")
        let token = try await SyncFixture.enrol(central, device: "d1")
        #expect(try await central.revokeDevice("d1", at: Date()))
        let client = try SyncClient(url: service.url, token: token)
        do {
            _ = try await SyncRunner(store: device, client: client).run()
            Issue.record("a revoked token synced")
        } catch let e as SyncClientError {
            #expect(e.code == "unauthorized")
        }
        #expect(try await SyncFixture.centralCount(central, device: "d1") == 0)
        #expect(try await device.unsyncedCount(device: "d1") == 5)
        await client.shutdown()
        await service.stop()
        try await central.close()
    }

    @Test func twoDevicesSyncAtOnce() async throws {
        let central = try await SyncFixture.central(try SyncFixture.centralURL())
        let service = try await RunningService.start(central)
        let a = try await SyncFixture.device(), b = try await SyncFixture.device()
        try await SyncFixture.record(400, on: a, device: "a")
        try await SyncFixture.record(350, on: b, device: "b", team: "team-2")
        let ca = try SyncClient(url: service.url, token: try await SyncFixture.enrol(central, device: "a"))
        let cb = try SyncClient(url: service.url, token: try await SyncFixture.enrol(central, device: "b", team: "team-2"))
        async let ra = SyncRunner(store: a, client: ca, batchSize: 50).run()
        async let rb = SyncRunner(store: b, client: cb, batchSize: 50).run()
        let (sa, sb) = try await (ra, rb)
        #expect(sa.pushed == 400 && sb.pushed == 350 && sa.remaining == 0 && sb.remaining == 0)
        #expect(try await SyncFixture.centralCount(central, device: "a") == 400)
        #expect(try await SyncFixture.centralCount(central, device: "b") == 350)
        let audit = try await central.verifyAudit()
        #expect(audit.firstBreak == nil && audit.devices == 2 && audit.events == 750)
        await ca.shutdown()
        await cb.shutdown()
        await service.stop()
        try await central.close()
    }
}
