import CCCDTestSupport
import Foundation
import Testing

/// The registry commands through the built executable (no card needed), on SQLite and PostgreSQL.
struct RegistryCommandTests {
    typealias Kind = RegistryReadTests.Kind

    static func write(_ text: String, ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-rows-\(UUID().uuidString).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: Kind.testable) func importReportsBadRowsByFileAndLineAndImportsTheRest(kind: Kind) async throws {
        let store = try kind.url()
        let citizens = try Self.write("""
            idNumber,fullName,dateOfBirth,sex,placeOfResidence
            035099012345,Nguyễn Văn An,1999-02-01,M,"Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam"
            035199012346,Trần Thị Bình,1999-03-04,F,"Tổ 2, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam"
            12345,Lê Văn Cường,1999-03-04,M,x
            035099012347,Phạm Văn Dũng,1999-02-30,M,x

            """, ext: "csv")
        let rows = try Self.write("""
            {"type": "card", "idNumber": "035099012345", "dateOfIssue": "2021-05-10", "dateOfExpiry": "2039-02-01", "status": "handedOver", "can": "012345"}
            {"type": "vneid", "idNumber": "035099012345", "status": "active", "level": 2}
            {"type": "vneid", "idNumber": "035199012346", "status": "locked"}
            {"type": "card", "idNumber": "035099099999", "dateOfIssue": "2021-05-10", "dateOfExpiry": null, "status": "handedOver"}
            not json
            """, ext: "jsonl")
        let run = try await CLI.run(["registry", "import", citizens, rows, "--store", store, "--json"], environment: ["CCCD_DEVICE": "importer"])
        #expect(run.status == 1)
        let j = try #require(run.json)
        #expect(j["imported"] as? [String: Int] == ["citizens": 2, "cards": 1, "accounts": 1])
        let rejected = try #require(j["rejected"] as? [[String: Any]])
        #expect(rejected.map { "\(($0["file"] as? String).map { ($0 as NSString).lastPathComponent } ?? ""):\($0["line"] as? Int ?? 0)" }
                == ["\((citizens as NSString).lastPathComponent):4", "\((citizens as NSString).lastPathComponent):5",
                    "\((rows as NSString).lastPathComponent):3", "\((rows as NSString).lastPathComponent):4", "\((rows as NSString).lastPathComponent):5"])
        #expect(rejected.first?["reason"] as? String == "idNumber must be exactly 12 digits")
        #expect(rejected[1]["reason"] as? String == "dateOfBirth is not a YYYY-MM-DD date")
        #expect(rejected[2]["reason"] as? String == "locked needs a reason")
        #expect(rejected[3]["reason"] as? String == "no citizen with this ID number")

        // VNeID transitions through the CLI: illegal exits 2, naming both states.
        let illegal = try await CLI.run(["vneid", "set-status", "035199012346", "active", "--level", "2", "--store", store])
        #expect(illegal.status == 2 && illegal.stderr.contains("notRegistered → active"))
        for args in [["pending", "--level", "1"], ["approved"], ["active", "--level", "1"], ["locked", "--reason", "request"]] {
            let r = try await CLI.run(["vneid", "set-status", "035199012346"] + args + ["--store", store, "--operator", "officer-1"])
            #expect(r.status == 0, "\(args) \(r.stderr)")
        }
        let show = try await CLI.run(["registry", "show", "035199012346", "--json", "--store", store])
        let v = try #require(show.json?["vneid"] as? [String: Any])
        #expect(v["status"] as? String == "locked" && v["reason"] as? String == "request" && v["source"] as? String == "officer")
        #expect((show.json?["reads"] as? [Any])?.count == 4)
        #expect(!show.stdout.contains("012345\""), "the CAN is never shown")
        let missing = try await CLI.run(["registry", "show", "035099000000", "--store", store])
        #expect(missing.status == 1)
        #expect(try await CLI.run(["audit", "verify", "--store", store]).status == 0)
    }

    @Test(arguments: Kind.testable) func seedAndStats(kind: Kind) async throws {
        let store = try kind.url()
        let seed = try await CLI.run(["registry", "seed", "--province", "035", "--citizens", "5000", "--vneid-active", "0.668", "--seed", "4",
                                      "--store", store, "--json"])
        #expect(seed.status == 0, "\(seed.stderr)")
        #expect(seed.json?["inserted"] as? Int == 5000)
        let stats = try await CLI.run(["registry", "stats", "--province", "035", "--store", store, "--json"])
        let j = try #require(stats.json)
        #expect(j["cards"] as? Int == 5000 && j["citizens"] as? Int == 5000)
        #expect(j["activationRate"] as? Double == 0.668)
        let human = try await CLI.run(["registry", "stats", "--province", "035", "--store", store])
        #expect(human.stdout.contains("5,000") && human.stdout.contains("66.8 %"))
        // Activation by district and month: each district's last month carries its cumulative rate,
        // and the districts' active accounts add up to the province's.
        let districts = try #require(j["activationByDistrict"] as? [[String: Any]])
        #expect(districts.count == 6 && (j["activationByTeam"] as? [Any])?.isEmpty == true)
        var active = 0
        for d in districts {
            let months = try #require(d["months"] as? [[String: Any]])
            let last = try #require(months.last)
            #expect(Set(last.keys) == ["month", "activated", "active", "rate"])
            let (n, citizens) = (last["active"] as? Int ?? -1, d["citizens"] as? Int ?? 0)
            #expect(last["rate"] as? Double == (Double(n) / Double(citizens) * 10_000).rounded() / 10_000)
            active += n
        }
        #expect(active == (j["vneid"] as? [String: Int])?["active"])
        #expect(human.stdout.contains("activation by district") && human.stdout.contains("Huyện Thanh Liêm: "))
        // Deterministic: the same seed into another store gives the same people.
        let other = try kind.url()
        _ = try await CLI.run(["registry", "seed", "--citizens", "5000", "--seed", "4", "--store", other])
        let a = try await CLI.run(["registry", "stats", "--store", store, "--json"]), b = try await CLI.run(["registry", "stats", "--store", other, "--json"])
        #expect((a.json?["vneid"] as? [String: Int]) == (b.json?["vneid"] as? [String: Int]))
    }

    @Test func badStoreURLsAreUsageErrors() async throws {
        let r = try await CLI.run(["registry", "stats", "--store", "postgres://127.0.0.1/x"])
        #expect(r.status == 2 && r.stderr.contains("needs a user"))
        let both = try await CLI.run(["read", "--store", "sqlite:/tmp/x.sqlite", "--station", "A", "--team", "B"])
        #expect(both.status == 2)
    }
}
