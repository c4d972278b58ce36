import CCCD
import Foundation
import Registry
import Testing

/// One suite, every store: the same linking, rules, chains and concurrency on the in-memory
/// store, SQLite and PostgreSQL.
struct StoreSuiteTests {
    @Test(arguments: StoreKind.testable) func knownCitizenWithMatchingData(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card()], accounts: [Fixtures.account()])
        let r = try await Fixtures.current()
        #expect(r.verdict == .genuine)
        let first = try await store.link(r, context: Fixtures.context, now: Fixtures.t0)
        #expect(first.citizen == .found)
        #expect(first.discrepancies.isEmpty)
        #expect(first.card?.status == .handedOver && first.card?.dateOfIssue == "2021-05-10" && first.card?.chip == .firstRead)
        #expect(first.vneid?.status == .active && first.vneid?.level == 2 && first.vneid?.source == .registry)
        #expect(first.alerts.isEmpty)
        let second = try await store.link(r, context: Fixtures.context, now: Fixtures.t0.addingTimeInterval(60))
        #expect(second.card?.chip == .sameChip)
        let stored = try await store.snapshot(Fixtures.id).cards.first?.chip
        #expect(stored?.sodSHA256 == r.identity.sodSHA256 && stored?.aaKeySHA256 != nil && stored?.caKeySHA256 != nil)
        let events = try await store.recentEvents(idNumber: Fixtures.id, limit: 10)
        #expect(events.map(\.id) == [second.eventId, first.eventId])
        #expect(events.allSatisfy { !$0.payload.contains(r.document?.mrz ?? "MRZ") && !$0.payload.contains("\"can\"") })
        #expect(try await store.verifyAudit().firstBreak == nil)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func unknownCitizen(kind: StoreKind) async throws {
        let store = try await kind.make()
        let link = try await store.link(try await Fixtures.current(), context: Fixtures.context, now: Fixtures.t0)
        #expect(link.citizen == .notFound && link.card == nil && link.vneid == nil && link.alerts == [.citizenNotFound])
        #expect(try await store.recentEvents(idNumber: Fixtures.id, limit: 5).first?.id == link.eventId)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func discrepantResidence(kind: StoreKind) async throws {
        let store = try await kind.make()
        let moved = "Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam"
        // The record in NFD must still compare equal field by field on everything else.
        var c = Fixtures.citizen(residence: moved)
        c.fullName = "Nguyễn Văn An".decomposedStringWithCanonicalMapping
        try await Fixtures.put(store, citizens: [Citizen(idNumber: c.idNumber, fullName: c.fullName, dateOfBirth: c.dateOfBirth, sex: c.sex,
                                                         placeOfOrigin: c.placeOfOrigin, placeOfResidence: c.placeOfResidence,
                                                         identifyingMarks: c.identifyingMarks, fatherName: c.fatherName, motherName: c.motherName,
                                                         oldIdNumber: c.oldIdNumber)],
                               cards: [Fixtures.card()], accounts: [Fixtures.account()])
        let link = try await store.link(try await Fixtures.current(), context: Fixtures.context, now: Fixtures.t0)
        #expect(link.discrepancies == [.init(field: "placeOfResidence", card: Fixtures.residence, record: moved)])
        #expect(link.alerts == [.dataMismatch])
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func revokedCardLocksTheAccount(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card(status: .revoked)], accounts: [Fixtures.account()])
        let link = try await store.link(try await Fixtures.current(), context: Fixtures.context, now: Fixtures.t0)
        #expect(link.alerts == [.cardRevoked])
        #expect(link.card?.status == .revoked)
        #expect(link.vneid?.status == .locked && link.vneid?.source == .derived)
        let account = try await store.snapshot(Fixtures.id).account
        #expect(account?.status == .locked && account?.reason == .cardRevoked)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func oldCardAfterANewerOneWasHandedOver(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card(issue: "2016-03-01", expiry: "2024-02-01")],
                               accounts: [Fixtures.account()])
        try await store.transact(ids: [Fixtures.id], device: "station-1") { s in
            var snap = s[Fixtures.id] ?? Snapshot()
            snap.cards.append(Fixtures.card(status: .verified))
            let m = Mutation(cards: snap.cards)
            return (m, ())
        }
        try await store.transact(ids: [Fixtures.id], device: "station-1") { s in
            (try StatusChanges.setCard(s[Fixtures.id] ?? Snapshot(), idNumber: Fixtures.id, dateOfIssue: "2021-05-10", to: .handedOver,
                                       source: .officer, context: Fixtures.context, now: Fixtures.t0), ())
        }
        let cards = try await store.snapshot(Fixtures.id).cards
        #expect(cards.first { $0.dateOfIssue == "2016-03-01" }?.storedStatus == .replaced)
        let link = try await store.link(try await Fixtures.old(), context: Fixtures.context, now: Fixtures.t0)
        #expect(link.card?.dateOfIssue == "2016-03-01" && link.card?.status == .replaced)
        #expect(link.alerts == [.cardReplaced])
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func differentChipPresentingAVerifiedCardsData(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card()], accounts: [Fixtures.account()])
        _ = try await store.link(try await Fixtures.current(), context: Fixtures.context, now: Fixtures.t0)
        let other = try await Fixtures.otherChip()
        #expect(other.verdict == .genuine)
        let link = try await store.link(other, context: Fixtures.context, now: Fixtures.t0)
        #expect(link.card?.chip == .differentChip)
        #expect(link.alerts == [.differentChip])
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func expiredCardLocksTheAccount(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card(issue: "2016-03-01", expiry: "2024-02-01")],
                               accounts: [Fixtures.account()])
        let link = try await store.link(try await Fixtures.old(), context: Fixtures.context, now: Fixtures.t0)
        #expect(link.card?.status == .expired && link.alerts == [.cardExpired])
        #expect(link.vneid?.status == .locked && link.vneid?.reason == .cardExpired)
        // The new card handed over unlocks it.
        try await store.transact(ids: [Fixtures.id], device: "station-1") { s in
            var m = Mutation(cards: [Fixtures.card(status: .verified)])
            m.citizens = []
            return (m, ())
        }
        try await store.transact(ids: [Fixtures.id], device: "station-1") { s in
            (try StatusChanges.setCard(s[Fixtures.id] ?? Snapshot(), idNumber: Fixtures.id, dateOfIssue: "2021-05-10", to: .handedOver,
                                       source: .officer, context: Fixtures.context, now: Fixtures.t0), ())
        }
        let account = try await store.snapshot(Fixtures.id).account
        #expect(account?.status == .active && account?.level == 2)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func noExpiryCardOfACitizenOver60(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen(Fixtures.seniorID, birth: "1950-07-15", name: "Trần Văn Lộc")],
                               cards: [Fixtures.card(Fixtures.seniorID, issue: "2021-09-01", expiry: nil)],
                               accounts: [Fixtures.account(Fixtures.seniorID, level: 1)])
        let link = try await store.link(try await Fixtures.senior(), context: Fixtures.context, now: Date(timeIntervalSince1970: 4_102_444_800)) // 2100
        #expect(link.alerts.isEmpty && link.discrepancies.isEmpty)
        #expect(link.card?.status == .handedOver && link.vneid?.status == .active)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func concurrentLinksLoseAndDuplicateNothing(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card()], accounts: [Fixtures.account()])
        let r = try await Fixtures.current()
        let ids = try await withThrowingTaskGroup(of: String.self) { g in
            for i in 0..<24 {
                g.addTask {
                    try await store.link(r, context: ReadContext(station: "S\(i % 3)", device: "device-\(i % 4)"), now: Fixtures.t0).eventId
                }
            }
            return try await g.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 24)
        let all = try await store.events(after: nil, limit: 1000).filter { $0.kind == .read }
        #expect(Set(all.map(\.id)) == Set(ids))
        for d in 0..<4 { #expect(all.filter { $0.device == "device-\(d)" }.map(\.seq).sorted() == Array(1...6)) }
        let report = try await store.verifyAudit()
        #expect(report.firstBreak == nil && report.events == 24 + 0 && report.devices == 4)
        let chips = try await store.snapshot(Fixtures.id).cards.compactMap(\.chip)
        #expect(chips.count == 1)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func officerStatusChangesAreCheckedAndRecorded(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await Fixtures.put(store, citizens: [Fixtures.citizen()], cards: [Fixtures.card()])
        await #expect(throws: RegistryError.illegalAccountTransition(from: .notRegistered, to: .active)) {
            try await store.transact(ids: [Fixtures.id], device: "d") { s in
                (try StatusChanges.setAccount(s[Fixtures.id] ?? Snapshot(), idNumber: Fixtures.id, to: .active, level: 2, reason: nil,
                                              source: .officer, context: Fixtures.context, now: Fixtures.t0), ())
            }
        }
        #expect(try await store.events(after: nil, limit: 10).isEmpty)
        for (status, level) in [(VNeIDStatus.pending, 2), (.approved, 2), (.active, 2)] {
            try await store.transact(ids: [Fixtures.id], device: "d") { s in
                (try StatusChanges.setAccount(s[Fixtures.id] ?? Snapshot(), idNumber: Fixtures.id, to: status, level: level, reason: nil,
                                              source: .officer, context: Fixtures.context, now: Fixtures.t0), ())
            }
        }
        #expect(try await store.snapshot(Fixtures.id).account?.status == .active)
        await #expect(throws: RegistryError.illegalCardTransition(from: .handedOver, to: .printed)) {
            try await store.transact(ids: [Fixtures.id], device: "d") { s in
                (try StatusChanges.setCard(s[Fixtures.id] ?? Snapshot(), idNumber: Fixtures.id, dateOfIssue: "2021-05-10", to: .printed,
                                           source: .officer, context: Fixtures.context, now: Fixtures.t0), ())
            }
        }
        #expect(try await store.events(after: nil, limit: 10).map(\.kind) == [.vneidStatus, .vneidStatus, .vneidStatus])
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func reImportUpdatesAndWritesAnEvent(kind: StoreKind) async throws {
        let store = try await kind.make()
        func importRows(_ rows: [ImportPlanner.Row]) async throws -> ImportPlanner.Outcome {
            try await store.transact(ids: rows.map(\.record.idNumber), device: "importer") { s in
                ImportPlanner.plan(rows, snapshots: s, file: "/tmp/x.jsonl", context: ReadContext(device: "importer"), now: Fixtures.t0)
            }
        }
        let first = try await importRows([.init(line: 1, record: .citizen(Fixtures.citizen())), .init(line: 2, record: .card(Fixtures.card())),
                                          .init(line: 3, record: .card(Fixtures.card("035099099999")))])
        #expect(first.citizens == 1 && first.cards == 1 && first.rejected.map(\.line) == [3])
        let moved = Fixtures.citizen(residence: "Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam")
        let second = try await importRows([.init(line: 1, record: .citizen(moved)), .init(line: 2, record: .card(Fixtures.card(status: .printed)))])
        #expect(second.citizens == 1 && second.rejected.map(\.reason) == ["illegal card transition handedOver → printed"])
        let snap = try await store.snapshot(Fixtures.id)
        #expect(snap.citizen?.placeOfResidence == moved.placeOfResidence && snap.citizen?.version == 2)
        let updates = try await store.recentEvents(idNumber: Fixtures.id, limit: 10)
        #expect(updates.count == 1 && updates.first?.kind == .import && updates.first?.payload.contains("placeOfResidence") == true)
        try await store.close()
    }

    @Test(arguments: StoreKind.testable) func seededProvinceStatistics(kind: StoreKind) async throws {
        let store = try await kind.make()
        let p = try SyntheticProvince(province: "035", citizens: 3000, vneidActive: 0.668, seed: 1)
        var inserted = 0
        for start in stride(from: 0, to: 3000, by: 1000) {
            inserted += try await store.bulkInsert(p.batch(start..<(start + 1000), now: Fixtures.t0), device: "seed")
        }
        #expect(inserted == 3000)
        // Seeding again inserts nothing.
        #expect(try await store.bulkInsert(p.batch(0..<1000, now: Fixtures.t0), device: "seed") == 0)
        let st = try await store.stats(province: "035", today: "2023-06-30")
        #expect(st.citizens == 3000 && st.cards == 3000 && st.eligibleCitizens == 3000)
        #expect(st.accountsByStatus["active"] == 2004)
        #expect(String(format: "%.1f", st.activationRate * 100) == "66.8")
        // Cards issued more than 2 years before the 25th or 40th birthday expire on it.
        #expect(st.cardsByStatus.values.reduce(0, +) == 3000 && Set(st.cardsByStatus.keys).isSubset(of: ["handedOver", "expired"]))
        #expect(st.citizensWithCard == st.cardsByStatus["handedOver"])
        #expect(Double(st.citizensWithCard) / 3000 > 0.9)
        #expect(try await store.stats(province: "001", today: "2023-06-30").citizens == 0)
        try await store.close()
    }
}
