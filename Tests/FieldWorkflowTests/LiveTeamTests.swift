import CCCDTestSupport
import CardSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Registry
import RegistrySQLite
import SimulatorHarness
import Testing

/// A mobile team's day end to end: an extract of one province from the central store (SQLite or
/// PostgreSQL), an offline confirm through pcscd, level-2 applications accepted and refused.
@Suite(.serialized)
struct LiveTeamTests {
    static let team = "Đội 3"
    static let reader = VirtualReader.names[0]

    @Test(arguments: StoreKind.databases) func extractConfirmAndApply(kind: StoreKind) async throws {
        let central = try kind.url()
        let a = Fixtures.record("035099005001"), b = Fixtures.record("035099005002", name: "Lê Văn Cường"), far = Fixtures.record("001099005003")
        do {
            let store = try await StoreKind.open(central, kind: kind)
            var m = Mutation(citizens: [a, b, far].map { Fixtures.citizen($0) })
            m.cards = [a, b, far].map { Card(idNumber: $0.idNumber, dateOfIssue: $0.dateOfIssue, dateOfExpiry: $0.dateOfExpiry, status: .handedOver, can: "510001") }
            m.accounts = [VNeIDAccount(idNumber: b.idNumber, status: .active, level: 2), VNeIDAccount(idNumber: far.idNumber, status: .active, level: 1)]
            _ = try await store.bulkInsert(m, device: "import")
            try await store.close()
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-team-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let teamStore = dir + "/team.sqlite"

        // The extract: only province 035, no CAN, its origin recorded; never over an existing file without --force.
        let extract = try await CLI.run(["registry", "extract", "--province", "035", "--out", teamStore, "--store", central, "--json"])
        #expect(extract.status == 0, "\(extract.stdout) \(extract.stderr)")
        #expect(extract.json?["citizens"] as? Int == 2 && extract.json?["cards"] as? Int == 2 && extract.json?["accounts"] as? Int == 1)
        let mode = (try FileManager.default.attributesOfItem(atPath: teamStore)[.posixPermissions] as? Int) ?? -1
        #expect(mode & 0o077 == 0, "a province's personal data is owner-only: \(String(mode, radix: 8))")
        let again = try await CLI.run(["registry", "extract", "--province", "035", "--out", teamStore, "--store", central])
        #expect(again.status == 2 && again.stderr.contains("--force"))
        let forced = try await CLI.run(["registry", "extract", "--province", "035", "--out", teamStore, "--store", central, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        do {
            let store = try SQLiteRegistryStore(path: teamStore)
            try await store.migrate()
            #expect(try await store.citizenIDs(prefix: "", after: nil, limit: 10) == [a.idNumber, b.idNumber])
            #expect(try await store.snapshot(a.idNumber).cards.allSatisfy { $0.can == nil })
            #expect(try await store.events(after: nil, limit: 10).isEmpty)
            let meta = try await store.metadata()
            #expect(meta["kind"] == "extract" && meta["filter"] == "province=035" && meta["extractedAt"]?.hasSuffix("Z") == true)
            #expect(meta["origin"]?.isEmpty == false && meta["citizens"] == "2")
            if let password = URLComponents(string: central)?.password, !password.isEmpty { #expect(meta["origin"]?.contains(":\(password)@") == false) }
            try await store.close()
        }

        // Confirm against the extract: the same JSON object as `read --store` (same keys, registry included).
        let chip = try Fixtures.chip(a, can: "510001")
        let trust = try Fixtures.trustDir([chip])
        let copy = dir + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: teamStore, toPath: copy)
        let device = ["CCCD_DEVICE": "team-laptop-1"]
        let (confirm, read) = try await VirtualReader.withCard(chip, slot: 0) { _ in
            (try await CLI.run(["confirm", "--store", teamStore, "--team", Self.team, "--reader", Self.reader, "--can", "510001", "--trust", trust, "--json"],
                               environment: device),
             try await CLI.run(["read", "--store", copy, "--team", Self.team, "--reader", Self.reader, "--can", "510001", "--trust", trust, "--json"],
                               environment: device))
        }
        #expect(confirm.status == 0, "\(confirm.stdout) \(confirm.stderr)")
        let c = try #require(confirm.json), r = try #require(read.json)
        #expect(Set(c.keys) == Set(r.keys) && c.keys.contains("registry"))
        let registry = try #require(c["registry"] as? [String: Any])
        #expect(Set(registry.keys) == Set((r["registry"] as? [String: Any])?.keys.map { $0 } ?? []))
        #expect(registry["citizen"] as? String == "found" && (registry["card"] as? [String: Any])?["status"] as? String == "handedOver")
        let readEvent = try #require(registry["eventId"] as? String)

        // Level 2: refused on another device, with a stale read, for another citizen, with a bad number; then accepted.
        let apply = ["vneid", "apply", a.idNumber, "--level", "2", "--phone", "-", "--store", teamStore, "--team", Self.team, "--json"]
        let elsewhere = try await CLI.run(apply, environment: ["CCCD_DEVICE": "team-laptop-2"], stdin: "0912345678\n")
        #expect(elsewhere.status == 1 && (elsewhere.json?["error"] as? [String: Any])?["code"] as? String == "noFreshRead")
        try await Task.sleep(for: .seconds(1))
        let stale = try await CLI.run(apply + ["--read-within", "0.01"], environment: device, stdin: "0912345678\n")
        #expect(stale.status == 1 && (stale.json?["error"] as? [String: Any])?["code"] as? String == "noFreshRead")
        let other = try await CLI.run(["vneid", "apply", b.idNumber, "--level", "2", "--phone", "0912345678", "--store", teamStore, "--json"], environment: device)
        #expect(other.status == 1 && (other.json?["error"] as? [String: Any])?["code"] as? String == "noFreshRead")
        let badPhone = try await CLI.run(apply, environment: device, stdin: "0212345678\n")
        #expect(badPhone.status == 2 && (badPhone.json?["error"] as? [String: Any])?["code"] as? String == "invalidPhone")
        #expect(!badPhone.stdout.contains("212345678") && !badPhone.stderr.contains("212345678"))
        let accepted = try await CLI.run(apply, environment: device, stdin: "0912345678\n")
        #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")
        #expect(accepted.json?["status"] as? String == "pending" && accepted.json?["level"] as? Int == 2)
        #expect(accepted.json?["evidenceEventId"] as? String == readEvent)
        #expect(!accepted.stdout.contains("912345678") && !accepted.stderr.contains("912345678"))
        // The human report says what the account allows; an active account cannot be sent back to pending.
        let bChip = try Fixtures.chip(b, can: "510001")
        let bTrust = try Fixtures.trustDir([bChip])
        let human = try await VirtualReader.withCard(bChip, slot: 0) { _ in
            try await CLI.run(["confirm", "--store", teamStore, "--team", Self.team, "--reader", Self.reader, "--can", "510001", "--trust", bTrust],
                              environment: device)
        }
        #expect(human.status == 0, "\(human.stdout) \(human.stderr)")
        #expect(human.stdout.contains("VNeID: active level 2 — usable where a relying party requires level 2"))
        #expect(human.stdout.contains("Card: handed over") && human.stdout.contains("Extract: province=035"))
        let active = try await CLI.run(["vneid", "apply", b.idNumber, "--level", "2", "--phone", "0912345678", "--store", teamStore, "--json"],
                                       environment: device)
        #expect(active.status == 2 && active.stderr.contains("active → pending"), "\(active.stderr)")
        let show = try await CLI.run(["registry", "show", a.idNumber, "--json", "--store", teamStore])
        let vneid = try #require(show.json?["vneid"] as? [String: Any])
        #expect(vneid["status"] as? String == "pending" && vneid["level"] as? Int == 2)
        let audit = try await CLI.run(["audit", "verify", "--store", teamStore])
        #expect(audit.status == 0, "\(audit.stdout)")

        // Home again: the team's work reaches the central PostgreSQL through `cccd serve`, once.
        if kind == .postgres { try await Self.syncHome(teamStore: teamStore, central: central, device: "team-laptop-1", applicant: a.idNumber) }
    }

    static func syncHome(teamStore: String, central: String, device: String, applicant: String) async throws {
        let local = try SQLiteRegistryStore(path: teamStore)
        let recorded = try await local.events(after: nil, limit: 1000).filter { $0.device == device }
        try await local.close()
        #expect(recorded.map(\.kind).contains(.vneidApplication) && recorded.map(\.kind).contains(.read))
        let add = try await CLI.run(["serve", "device", "add", "--team", team, "--device", device, "--store", central, "--json"])
        let token = try #require(add.json?["token"] as? String, "\(add.status) \(add.stdout) \(add.stderr)")
        let server = try CCCDProcess(["serve", "--store", central, "--listen", "127.0.0.1:0"])
        defer { server.kill() }
        let centre = try #require(await server.url(), "cccd serve did not listen: \(server.stderr)")
        let sync = try await CLI.run(["sync", "--to", centre, "--store", teamStore, "--json"],
                                     environment: ["CCCD_DEVICE": device, "CCCD_SYNC_TOKEN": token])
        #expect(sync.status == 0, "\(sync.stdout) \(sync.stderr)")
        #expect(sync.json?["pushed"] as? Int == recorded.count && sync.json?["remaining"] as? Int == 0 && sync.json?["conflicts"] as? Int == 0)
        // The centre holds the device's events verbatim (chains intact) and took the application.
        let show = try await CLI.run(["registry", "show", applicant, "--json", "--store", central])
        let vneid = try #require(show.json?["vneid"] as? [String: Any], "\(show.stderr)")
        #expect(vneid["status"] as? String == "pending" && vneid["level"] as? Int == 2)
        let audit = try await CLI.run(["audit", "verify", "--store", central, "--json"])
        #expect(audit.status == 0, "\(audit.stdout)")
        let again = try await CLI.run(["sync", "--to", centre, "--store", teamStore, "--json"],
                                      environment: ["CCCD_DEVICE": device, "CCCD_SYNC_TOKEN": token])
        #expect(again.status == 0 && again.json?["pushed"] as? Int == 0 && again.json?["duplicates"] as? Int == 0)
    }
}
