import CCCDTestSupport
import CardSimulator
import Foundation
import Registry
import SimulatorHarness
import Testing

/// `cccd station verify-printed` and `hand-over` end to end: simulated cards in both vpcd
/// readers, through pcscd, the built executable, on SQLite and PostgreSQL.
@Suite(.serialized)
struct LiveStationTests {
    static let station = "Phủ Lý 1"
    static let environment = ["CCCD_DEVICE": "station-e2e"]

    @Test(arguments: StoreKind.databases) func twoReadersAtOnceThenHandOverOfTheSameChipOnly(kind: StoreKind) async throws {
        let url = try kind.url()
        let good = Fixtures.record("035099004001"), bad = Fixtures.record("035099004002", name: "Trần Thị Bình")
        do {
            let store = try await StoreKind.open(url, kind: kind)
            _ = try await store.bulkInsert(Fixtures.printed(good, can: "410001", printedAt: 1).followed(bad, can: "410002", printedAt: 2), device: "import")
            try await store.close()
        }
        var faults = CardFaults()
        faults.corruptSODSignature = true
        let goodChip = try Fixtures.chip(good, can: "410001"), badChip = try Fixtures.chip(bad, can: "410002", faults: faults)
        let clone = try Fixtures.chip(good, can: "410001", seed: "another chip")
        let trust = try Fixtures.trustDir([goodChip, clone])

        // One process, two readers, each reading its own card at the same time. The process starts once both
        // slots are ours (leases taken in slot order) and both cards are in: another engineer's card in a shared
        // slot would be an error outcome here.
        let verify = ["station", "verify-printed", "--readers", VirtualReader.names.joined(separator: ","), "--station", Self.station,
                      "--store", url, "--trust", trust, "--json", "--count", "2"]
        let run = try await VirtualReader.withCard(goodChip, slot: 0) { _ in
            try await VirtualReader.withCard(badChip, slot: 1) { _ in try await CLI.run(verify, environment: Self.environment, timeout: .seconds(90)) }
        }
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let lines = run.lines
        let verified = try #require(lines.first { $0["idNumber"] as? String == good.idNumber }, "\(run.stdout) \(run.stderr)")
        #expect(verified["outcome"] as? String == "verified" && (verified["reasons"] as? [String]) == [] && verified["eventId"] is String)
        #expect(verified["reader"] as? String == VirtualReader.names[0])
        #expect(Set(verified.keys) == ["reader", "idNumber", "outcome", "reasons", "eventId"])
        let reprint = try #require(lines.first { $0["idNumber"] as? String == bad.idNumber })
        #expect(reprint["outcome"] as? String == "reprint" && reprint["reader"] as? String == VirtualReader.names[1])
        #expect((reprint["reasons"] as? [String])?.contains("sodSignatureInvalid") == true)
        let summary = try #require(lines.last?["summary"] as? [String: Any])
        #expect(summary["verified"] as? Int == 1 && summary["reprint"] as? Int == 1 && summary["errors"] as? Int == 0 && summary["cards"] as? Int == 2,
                "\(run.stdout) \(run.stderr)")
        #expect((summary["readers"] as? [String: Any])?.count == 2 && summary["cardsPerMinute"] is Double)

        let show = try await CLI.run(["registry", "show", bad.idNumber, "--json", "--store", url])
        let badCard = try #require((show.json?["cards"] as? [[String: Any]])?.first)
        #expect(badCard["status"] as? String == "reprint" && (badCard["statusReasons"] as? [String])?.contains("sodSignatureInvalid") == true)

        // Hand-over: another chip carrying the same data is refused (its read recorded), the verified chip accepted.
        let handOver = ["station", "hand-over", good.idNumber, "--station", Self.station, "--store", url, "--reader", VirtualReader.names[0],
                        "--trust", trust, "--json"]
        let refused = try await VirtualReader.withCard(clone, slot: 0) { _ in try await CLI.run(handOver, environment: Self.environment) }
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect((refused.json?["error"] as? [String: Any])?["code"] as? String == "differentChip")
        let accepted = try await VirtualReader.withCard(goodChip, slot: 0) { _ in try await CLI.run(handOver, environment: Self.environment) }
        #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")
        #expect(accepted.json?["status"] as? String == "handedOver" && accepted.json?["dateOfIssue"] as? String == good.dateOfIssue)
        let after = try await CLI.run(["registry", "show", good.idNumber, "--json", "--store", url])
        #expect(((after.json?["cards"] as? [[String: Any]])?.first)?["status"] as? String == "handedOver")
        let reads = after.json?["reads"] as? [[String: Any]] ?? []
        #expect(reads.filter { $0["kind"] as? String == "read" }.count == 3)
        let audit = try await CLI.run(["audit", "verify", "--store", url])
        #expect(audit.status == 0, "\(audit.stdout)")
    }
}

/// Ctrl-C ends a batch cleanly with its summary; `watch --store` links every card it reads.
@Suite(.serialized)
struct LiveInterruptTests {
    @Test func interruptedBatchPrintsItsSummary() async throws {
        let url = try StoreKind.sqlite.url()
        let r = Fixtures.record("035099006001")
        do {
            let store = try await StoreKind.open(url, kind: .sqlite)
            _ = try await store.bulkInsert(Fixtures.printed(r, can: "610001", printedAt: 1), device: "import")
            try await store.close()
        }
        let chip = try Fixtures.chip(r, can: "610001")
        let trust = try Fixtures.trustDir([chip])
        let run = try await VirtualReader.withCard(chip, slot: 0) { reader in
            try await CLI.interrupted(after: .seconds(6), ["station", "verify-printed", "--readers", reader, "--station", "Phủ Lý 1", "--store", url,
                                                 "--trust", trust, "--json"], environment: ["CCCD_DEVICE": "station-e2e"])
        }
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.lines.first?["outcome"] as? String == "verified", "\(run.stdout) \(run.stderr)")
        let summary = try #require(run.lines.last?["summary"] as? [String: Any], "\(run.stdout)")
        #expect(summary["cards"] as? Int == 1 && summary["verified"] as? Int == 1 && (summary["seconds"] as? Double ?? 0) > 0)
        let audit = try await CLI.run(["audit", "verify", "--json", "--store", url])
        #expect(audit.status == 0 && audit.json?["events"] as? Int == 2)
    }

    @Test func watchWithAStoreLinksEveryCard() async throws {
        let url = try StoreKind.sqlite.url()
        let r = Fixtures.record("035099006101")
        do {
            let store = try await StoreKind.open(url, kind: .sqlite)
            _ = try await store.bulkInsert(Mutation(citizens: [Fixtures.citizen(r)], cards: [
                Card(idNumber: r.idNumber, dateOfIssue: r.dateOfIssue, dateOfExpiry: r.dateOfExpiry, status: .handedOver)]), device: "import")
            try await store.close()
        }
        let chip = try Fixtures.chip(r, can: "610101")
        let trust = try Fixtures.trustDir([chip])
        let run = try await VirtualReader.withCard(chip, slot: 0) { reader in
            try await CLI.interrupted(after: .seconds(6), ["watch", "--reader", reader, "--can", "610101", "--trust", trust, "--json", "--store", url,
                                                 "--station", "Phủ Lý 1"], environment: ["CCCD_DEVICE": "desk-e2e"])
        }
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let line = try #require(run.lines.first, "\(run.stdout) \(run.stderr)")
        let registry = try #require(line["registry"] as? [String: Any])
        #expect(line["verdict"] as? String == "genuine" && registry["citizen"] as? String == "found")
        #expect((registry["card"] as? [String: Any])?["chip"] as? String == "firstRead")
        let show = try await CLI.run(["registry", "show", r.idNumber, "--json", "--store", url])
        #expect(((show.json?["reads"] as? [[String: Any]])?.first)?["eventId"] as? String == registry["eventId"] as? String)
    }
}
