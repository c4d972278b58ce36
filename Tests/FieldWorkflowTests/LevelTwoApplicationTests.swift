import CardSimulator
import CCCD
import Foundation
import MRTD
import Registry
import Testing

/// A level-2 application rests on a fresh genuine read of the citizen's own card on this device.
struct LevelTwoApplicationTests {
    static let device = "team-laptop-1"
    static let context = ReadContext(team: "Đội 3", device: device)

    /// A citizen with a handed-over card, and (optionally) a genuine read of it linked at `readAt`.
    static func store(_ r: CitizenRecord, readAt: Date?, device: String = device) async throws -> InMemoryRegistryStore {
        let store = InMemoryRegistryStore()
        _ = try await store.bulkInsert(Mutation(citizens: [Fixtures.citizen(r)], cards: [
            Card(idNumber: r.idNumber, dateOfIssue: r.dateOfIssue, dateOfExpiry: r.dateOfExpiry, status: .handedOver)]), device: "import")
        if let readAt {
            let chip = try Fixtures.chip(r, can: "151515")
            let readout = try await CardReader(options: .init(trust: try Fixtures.trust([chip]))).read(
                channel: InProcessChannel(card: chip), key: .can("151515"), reader: "in-process", atr: chip.atr)
            _ = try await store.link(readout, context: ReadContext(team: "Đội 3", device: device), now: readAt)
        }
        return store
    }

    static func apply(_ store: InMemoryRegistryStore, _ id: String, now: Date = Date(), window: TimeInterval = 600) async throws -> LevelTwoApplication.Result {
        let events = try await store.recentEvents(idNumber: id, limit: 100)
        guard let phone = VietnameseMobileNumber("0912 345 678") else { throw FieldWorkflowError(.invalidPhone, "") }
        return try await store.transact(ids: [id], device: device) { snaps in
            let s = snaps[id] ?? Snapshot()
            let evidence = try LevelTwoApplication.evidence(events, idNumber: id, snapshot: s, device: device, now: now, window: window)
            return try LevelTwoApplication.plan(snapshot: s, idNumber: id, level: 2, phone: phone, evidence: evidence, context: context, now: now)
        }
    }

    @Test func acceptedAfterAFreshGenuineRead() async throws {
        let r = Fixtures.record("035099002001")
        let store = try await Self.store(r, readAt: Date().addingTimeInterval(-120))
        let result = try await Self.apply(store, r.idNumber)
        #expect(result.account.status == .pending && result.account.level == 2)
        let event = try #require(try await store.recentEvents(idNumber: r.idNumber, limit: 5).first { $0.kind == .vneidApplication })
        let read = try #require(try await store.recentEvents(idNumber: r.idNumber, limit: 5).first { $0.kind == .read })
        #expect(event.content?["body"]?["evidenceEventId"]?.stringValue == read.id && result.evidenceEventId == read.id)
        // The number itself is nowhere in the event: only its mask and digest.
        #expect(!event.payload.contains("912345678") && event.payload.contains("+84******678"))
        #expect(event.content?["body"]?["phone"]?["digest"]?.stringValue?.count == 64)
        #expect(try await store.snapshot(r.idNumber).account?.status == .pending)
    }

    @Test func refusedWithoutARead() async throws {
        let r = Fixtures.record("035099002101")
        let store = try await Self.store(r, readAt: nil)
        await #expect(throws: FieldWorkflowError(.noFreshRead, "")) { _ = try await Self.apply(store, r.idNumber) }
        #expect(try await store.snapshot(r.idNumber).account == nil)
    }

    @Test func refusedWithAStaleRead() async throws {
        let r = Fixtures.record("035099002201")
        let store = try await Self.store(r, readAt: Date().addingTimeInterval(-11 * 60))
        await #expect(throws: FieldWorkflowError(.noFreshRead, "")) { _ = try await Self.apply(store, r.idNumber) }
    }

    @Test func refusedWithAReadOnAnotherDevice() async throws {
        let r = Fixtures.record("035099002301")
        let store = try await Self.store(r, readAt: Date(), device: "another-laptop")
        await #expect(throws: FieldWorkflowError(.noFreshRead, "")) { _ = try await Self.apply(store, r.idNumber) }
    }

    @Test func refusedWithAnotherCitizensRead() async throws {
        let r = Fixtures.record("035099002401"), other = Fixtures.record("035099002402")
        let store = try await Self.store(r, readAt: Date())
        _ = try await store.bulkInsert(Mutation(citizens: [Fixtures.citizen(other)]), device: "import")
        await #expect(throws: FieldWorkflowError(.noFreshRead, "")) { _ = try await Self.apply(store, other.idNumber) }
    }

    @Test func refusedWhenTheCardReadWasRevokedSince() async throws {
        let r = Fixtures.record("035099002501")
        let store = try await Self.store(r, readAt: Date())
        _ = try await store.transact(ids: [r.idNumber], device: "officer") { s in
            (try StatusChanges.setCard(s[r.idNumber] ?? Snapshot(), idNumber: r.idNumber, dateOfIssue: r.dateOfIssue, to: .revoked, source: .officer,
                                       context: ReadContext(device: "officer"), now: Date()), ())
        }
        await #expect(throws: FieldWorkflowError(.cardNotValid, "")) { _ = try await Self.apply(store, r.idNumber) }
    }

    @Test func anActiveAccountCannotGoBackToPending() async throws {
        let r = Fixtures.record("035099002601")
        let store = try await Self.store(r, readAt: Date())
        _ = try await store.transact(ids: [r.idNumber], device: "import") { _ in
            (Mutation(accounts: [VNeIDAccount(idNumber: r.idNumber, status: .active, level: 1)]), ())
        }
        await #expect(throws: RegistryError.illegalAccountTransition(from: .active, to: .pending)) { _ = try await Self.apply(store, r.idNumber) }
    }

    @Test(arguments: ["0912345678", "+84 912 345 678", "84912345678", "039.123.4567", "0512-345-678"])
    func mobileNumbersAccepted(text: String) {
        #expect(VietnameseMobileNumber(text) != nil)
    }

    @Test(arguments: ["", "0212345678", "091234567", "09123456789", "+85912345678", "0912a45678", "+84012345678", "1912345678", "0912345678+"])
    func otherNumbersRefused(text: String) {
        #expect(VietnameseMobileNumber(text) == nil)
    }

    @Test func theDigestBindsTheNumberToTheCitizen() throws {
        let a = try #require(VietnameseMobileNumber("0912345678")), b = try #require(VietnameseMobileNumber("+84912345678"))
        #expect(a == b && a.digest(idNumber: "035099002701") == b.digest(idNumber: "035099002701"))
        #expect(a.digest(idNumber: "035099002701") != a.digest(idNumber: "035099002702"))
        #expect("\(a)" == "+84******678")
    }
}
