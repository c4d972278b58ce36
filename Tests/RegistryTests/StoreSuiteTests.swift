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

    /// Activation per district and per team, by Vietnamese calendar month: every store groups the
    /// same rows the same way (the month boundary is UTC+7, the district is the address's part before
    /// the province when it names a district-level unit).
    @Test(arguments: StoreKind.testable) func activationOverTimePerDistrictAndTeam(kind: StoreKind) async throws {
        let store = try await kind.make()
        func at(_ iso: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: iso)) }
        let liem = "Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam"
        let citizens = [
            Fixtures.citizen("035099000001", residence: liem), Fixtures.citizen("035099000002", residence: "Xóm 2 ,Xã Liêm Cần,  Huyện Thanh Liêm , Hà Nam"),
            Fixtures.citizen("035099000003", residence: "Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam"),
            Fixtures.citizen("035099000004", residence: "Xã Thanh Hà, Tỉnh Ninh Bình"), Fixtures.citizen("001099000005", residence: liem),
        ]
        let accounts = [
            // 18:00 UTC on 31 January is 1 February in Vietnam.
            VNeIDAccount(idNumber: "035099000001", status: .active, level: 2, source: .registry, observedAt: try at("2023-01-31T18:00:00Z")),
            VNeIDAccount(idNumber: "035099000002", status: .active, level: 1, source: .registry, observedAt: try at("2023-01-15T03:00:00Z")),
            VNeIDAccount(idNumber: "035099000003", status: .pending, level: 2, source: .registry, observedAt: try at("2023-01-15T03:00:00Z")),
            VNeIDAccount(idNumber: "035099000004", status: .active, level: 2, source: .registry, observedAt: try at("2023-03-10T03:00:00Z")),
            VNeIDAccount(idNumber: "001099000005", status: .active, level: 2, source: .registry, observedAt: try at("2023-03-10T03:00:00Z")),
        ]
        try await Fixtures.put(store, citizens: citizens, accounts: accounts)
        let reads: [(String, String?)] = [("035099000001", "Đội 1"), ("035099000001", "Đội 1"), ("035099000003", "Đội 1"), ("035099000004", "Đội 2"),
                                          ("035099000002", nil), ("001099000005", "Đội 1")]
        try await store.transact(ids: [], device: "team-laptop") { _ in
            (Mutation(events: reads.map { EventDraft(at: Fixtures.t0, kind: .read, idNumber: $0.0, team: $0.1, body: [:]) }), ())
        }
        let st = try await store.stats(province: "035", today: "2025-12-01")
        typealias M = ActivationSeries.Month
        #expect(st.activationByDistrict == [
            ActivationSeries(name: "Huyện Thanh Liêm", citizens: 2, months: [M(month: "2023-01", activated: 1, active: 1), M(month: "2023-02", activated: 1, active: 2)]),
            ActivationSeries(name: "Thành phố Phủ Lý", citizens: 1, months: []),
            ActivationSeries(name: "", citizens: 1, months: [M(month: "2023-03", activated: 1, active: 1)]),
        ])
        #expect(st.activationByTeam == [
            ActivationSeries(name: "Đội 1", citizens: 2, months: [M(month: "2023-02", activated: 1, active: 1)]),
            ActivationSeries(name: "Đội 2", citizens: 1, months: [M(month: "2023-03", activated: 1, active: 1)]),
        ])
        #expect(st.activationByDistrict[0].rate(st.activationByDistrict[0].months[1]) == 1)
        // The whole registry: the other province's citizen joins Thanh Liêm and team 1.
        let all = try await store.stats(province: nil, today: "2025-12-01")
        #expect(all.activationByDistrict.first?.citizens == 3 && all.activationByDistrict.first?.months.last?.active == 3)
        #expect(all.activationByTeam.first?.citizens == 3 && all.activationByTeam.first?.months == [M(month: "2023-02", activated: 1, active: 1),
                                                                                                     M(month: "2023-03", activated: 1, active: 2)])
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
        // Seeded activations spread over the campaign's months in every district, ending at its close.
        #expect(st.activationByDistrict.count == 6 && st.activationByDistrict.allSatisfy { !$0.name.isEmpty && $0.months.count > 12 })
        #expect(st.activationByDistrict.map { $0.months.last?.active ?? 0 }.reduce(0, +) == 2004)
        #expect(st.activationByDistrict.allSatisfy { ($0.months.first?.month ?? "") >= "2021-03" && ($0.months.last?.month ?? "") <= "2023-06" })
        #expect(try await store.stats(province: "001", today: "2023-06-30").citizens == 0)
        try await store.close()
    }
}
