import CCCDTestSupport
import CardSimulator
import CCCD
import Foundation
import GRDB
import ISO7816
import SimulatorHarness
import Testing

/// `cccd read --store` end to end: simulated cards in the vpcd virtual reader, through pcscd, the
/// built executable, against SQLite and PostgreSQL.
@Suite(.serialized)
struct RegistryReadTests {
    static let slot = 1
    static var reader: String { VirtualReader.names[slot] }
    static let id = "035099012345"
    static let residence = "Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam"

    enum Kind: String, CaseIterable, Sendable {
        case sqlite, postgres
        static var testable: [Kind] {
            let env = ProcessInfo.processInfo.environment
            return env["CCCD_TEST_POSTGRES_URL"] != nil || env["CI"] == "true" ? allCases : [.sqlite]
        }

        /// A fresh store URL (a new file, or a new schema).
        func url() throws -> String {
            switch self {
            case .sqlite:
                return "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("cccd-e2e-\(UUID().uuidString).sqlite").path
            case .postgres:
                guard let base = ProcessInfo.processInfo.environment["CCCD_TEST_POSTGRES_URL"] else {
                    throw Failure("CCCD_TEST_POSTGRES_URL is not set (run Hardware/postgres/start.sh)")
                }
                return base + "?schema=e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            }
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ s: String) { description = s } }

    static func record(_ id: String = id, name: String = "Nguyễn Văn An", birth: String = "1999-02-01", issue: String = "2021-05-10",
                       expiry: String? = "2039-02-01", residence: String = residence) -> CitizenRecord {
        CitizenRecord(idNumber: id, fullName: name, dateOfBirth: birth, sex: "M", placeOfOrigin: "Xã Kim Bình, Thành phố Phủ Lý, Hà Nam",
                      placeOfResidence: residence, identifyingMarks: "Nốt ruồi cách 2cm", dateOfIssue: issue, dateOfExpiry: expiry,
                      fatherName: "Nguyễn Văn Bình", motherName: "Trần Thị Cúc", oldIdNumber: "168012345")
    }

    /// JSON Lines for `cccd registry import`.
    static func importFile(_ lines: [[String: Any?]]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-import-\(UUID().uuidString).jsonl").path
        let text = try lines.map { l -> String in
            let clean = l.mapValues { $0 ?? NSNull() }
            return String(decoding: try JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func citizenLine(_ r: CitizenRecord, residence: String? = nil) -> [String: Any?] {
        ["type": "citizen", "idNumber": r.idNumber, "fullName": r.fullName, "dateOfBirth": r.dateOfBirth, "sex": r.sex,
         "nationality": r.nationality, "ethnicity": r.ethnicity, "religion": r.religion, "placeOfOrigin": r.placeOfOrigin,
         "placeOfResidence": residence ?? r.placeOfResidence, "identifyingMarks": r.identifyingMarks, "fatherName": r.fatherName,
         "motherName": r.motherName, "spouseName": r.spouseName, "oldIdNumber": r.oldIdNumber]
    }

    static func cardLine(_ id: String, issue: String, expiry: String?, status: String) -> [String: Any?] {
        ["type": "card", "idNumber": id, "dateOfIssue": issue, "dateOfExpiry": expiry, "status": status]
    }

    static func vneidLine(_ id: String, status: String = "active", level: Int = 2) -> [String: Any?] {
        ["type": "vneid", "idNumber": id, "status": status, "level": level]
    }

    static func importRecords(_ store: String, _ lines: [[String: Any?]]) async throws {
        let run = try await CLI.run(["registry", "import", try importFile(lines), "--store", store, "--json"])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    }

    static func trustDir(_ chips: [SimulatedChip]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (i, chip) in chips.enumerated() {
            try Data(chip.card.pki.cscaCertificate).write(to: dir.appendingPathComponent("csca\(i).der"))
        }
        return dir.path
    }

    static func chip(_ r: CitizenRecord, seed: String = "swift-cccd test PKI") throws -> SimulatedChip {
        var p = CardProfile(citizen: r)
        p.seed = seed
        return try SimulatedChip(profile: p)
    }

    /// `cccd read --store ... --json` with the chip in the virtual reader.
    static func read(_ chip: SimulatedChip, store: String, trust: String, extra: [String] = ["--station", "Phủ Lý 1"]) async throws -> CLIRun {
        try await VirtualReader.withCard(chip, slot: slot) { _ in
            try await CLI.run(["read", "--reader", reader, "--can", chip.card.can, "--trust", trust, "--json", "--store", store] + extra,
                              environment: ["CCCD_DEVICE": "e2e-station"])
        }
    }

    static func registry(_ run: CLIRun) throws -> [String: Any] {
        guard let j = run.json, let r = j["registry"] as? [String: Any] else { throw Failure("no registry object: \(run.stdout) \(run.stderr)") }
        #expect(j["verdict"] as? String == "genuine")
        return r
    }

    static func alerts(_ r: [String: Any]) -> [String] { r["alerts"] as? [String] ?? [] }

    // MARK: - Scenarios

    @Test(arguments: Kind.testable) func knownCitizenWithMatchingData(kind: Kind) async throws {
        let store = try kind.url()
        let rec = Self.record()
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver"),
                                             Self.vneidLine(Self.id)])
        let chip = try Self.chip(rec)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 0, "\(run.stderr)")
        let r = try Self.registry(run)
        #expect(r["citizen"] as? String == "found")
        #expect((r["discrepancies"] as? [Any])?.isEmpty == true)
        let card = try #require(r["card"] as? [String: Any])
        #expect(card["status"] as? String == "handedOver" && card["dateOfIssue"] as? String == "2021-05-10" && card["chip"] as? String == "firstRead")
        let v = try #require(r["vneid"] as? [String: Any])
        #expect(v["status"] as? String == "active" && v["level"] as? Int == 2 && v["source"] as? String == "registry" && v["observedAt"] is String)
        #expect(Self.alerts(r).isEmpty)
        let eventId = try #require(r["eventId"] as? String)
        let show = try await CLI.run(["registry", "show", Self.id, "--json", "--store", store])
        #expect(show.status == 0)
        #expect(((show.json?["reads"] as? [[String: Any]])?.first?["eventId"] as? String) == eventId)
        #expect(((show.json?["cards"] as? [[String: Any]])?.first?["chip"] as? [String: Any])?["sodSHA256"] is String)
        let audit = try await CLI.run(["audit", "verify", "--store", store])
        #expect(audit.status == 0, "\(audit.stdout)")
    }

    @Test(arguments: Kind.testable) func unknownCitizen(kind: Kind) async throws {
        let store = try kind.url()
        let chip = try Self.chip(Self.record("035099000001"))
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 6)
        let r = try Self.registry(run)
        #expect(r["citizen"] as? String == "notFound" && r["card"] is NSNull && r["vneid"] is NSNull)
        #expect(Self.alerts(r) == ["citizenNotFound"])
    }

    @Test(arguments: Kind.testable) func discrepantResidence(kind: Kind) async throws {
        let store = try kind.url()
        let rec = Self.record()
        let moved = "Tổ 3, Phường Quang Trung, Thành phố Phủ Lý, Hà Nam"
        try await Self.importRecords(store, [Self.citizenLine(rec, residence: moved),
                                             Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver")])
        let chip = try Self.chip(rec)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 6)
        let r = try Self.registry(run)
        let d = try #require((r["discrepancies"] as? [[String: Any]])?.first)
        #expect(d["field"] as? String == "placeOfResidence" && d["card"] as? String == Self.residence && d["record"] as? String == moved)
        #expect(Self.alerts(r) == ["dataMismatch"])
    }

    @Test(arguments: Kind.testable) func revokedCardLocksTheAccount(kind: Kind) async throws {
        let store = try kind.url()
        let rec = Self.record()
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver"),
                                             Self.vneidLine(Self.id)])
        let set = try await CLI.run(["card", "set-status", Self.id, "--issued", "2021-05-10", "revoked", "--store", store])
        #expect(set.status == 0, "\(set.stderr)")
        let illegal = try await CLI.run(["card", "set-status", Self.id, "--issued", "2021-05-10", "handedOver", "--store", store])
        #expect(illegal.status == 2 && illegal.stderr.contains("revoked → handedOver"))
        let chip = try Self.chip(rec)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 6)
        let r = try Self.registry(run)
        #expect(Self.alerts(r) == ["cardRevoked"])
        #expect((r["card"] as? [String: Any])?["status"] as? String == "revoked")
        let v = try #require(r["vneid"] as? [String: Any])
        #expect(v["status"] as? String == "locked" && v["reason"] as? String == "cardRevoked")
    }

    @Test(arguments: Kind.testable) func oldCardAfterANewerOneWasHandedOver(kind: Kind) async throws {
        let store = try kind.url()
        let old = Self.record(issue: "2016-03-01", expiry: "2031-02-01")
        try await Self.importRecords(store, [Self.citizenLine(old), Self.cardLine(Self.id, issue: "2016-03-01", expiry: "2031-02-01", status: "handedOver"),
                                             Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver"),
                                             Self.vneidLine(Self.id)])
        let chip = try Self.chip(old)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 6)
        let r = try Self.registry(run)
        #expect(Self.alerts(r) == ["cardReplaced"])
        #expect((r["card"] as? [String: Any])?["status"] as? String == "replaced")
    }

    @Test(arguments: Kind.testable) func differentChipPresentingAVerifiedCardsData(kind: Kind) async throws {
        let store = try kind.url()
        let rec = Self.record()
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver")])
        let genuine = try Self.chip(rec), other = try Self.chip(rec, seed: "another chip")
        let trust = try Self.trustDir([genuine, other])
        let first = try await Self.read(genuine, store: store, trust: trust)
        #expect(first.status == 0)
        let run = try await Self.read(other, store: store, trust: trust)
        #expect(run.status == 6)
        let r = try Self.registry(run)
        #expect((r["card"] as? [String: Any])?["chip"] as? String == "differentChip")
        #expect(Self.alerts(r) == ["differentChip"])
    }

    @Test(arguments: Kind.testable) func expiredCardLocksTheAccount(kind: Kind) async throws {
        let store = try kind.url()
        let rec = Self.record(birth: "1985-03-02", issue: "2012-04-01", expiry: "2025-03-02")
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(Self.id, issue: "2012-04-01", expiry: "2025-03-02", status: "handedOver"),
                                             Self.vneidLine(Self.id)])
        let chip = try Self.chip(rec)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]))
        #expect(run.status == 6, "\(run.stderr)")
        let r = try Self.registry(run)
        #expect(Self.alerts(r) == ["cardExpired"])
        let v = try #require(r["vneid"] as? [String: Any])
        #expect(v["status"] as? String == "locked" && v["reason"] as? String == "cardExpired" && v["source"] as? String == "derived")
    }

    @Test(arguments: Kind.testable) func noExpiryCardOfACitizenOver60(kind: Kind) async throws {
        let store = try kind.url()
        let senior = "035050000777"
        let rec = Self.record(senior, name: "Trần Văn Lộc", birth: "1950-07-15", issue: "2021-09-01", expiry: nil)
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(senior, issue: "2021-09-01", expiry: nil, status: "handedOver"),
                                             Self.vneidLine(senior, level: 1)])
        let chip = try Self.chip(rec)
        let run = try await Self.read(chip, store: store, trust: try Self.trustDir([chip]), extra: ["--team", "Đội 3", "--operator", "officer-9"])
        #expect(run.status == 0, "\(run.stderr)")
        let r = try Self.registry(run)
        #expect(Self.alerts(r).isEmpty)
        #expect((r["card"] as? [String: Any])?["status"] as? String == "handedOver")
        #expect(run.json?["citizen"].flatMap { ($0 as? [String: Any])?["dateOfExpiry"] } is NSNull)
    }

    @Test func tamperedEventIsNamedByAuditVerify() async throws {
        let store = try Kind.sqlite.url()
        let rec = Self.record()
        try await Self.importRecords(store, [Self.citizenLine(rec), Self.cardLine(Self.id, issue: "2021-05-10", expiry: "2039-02-01", status: "handedOver")])
        let chip = try Self.chip(rec)
        let trust = try Self.trustDir([chip])
        _ = try await Self.read(chip, store: store, trust: trust)
        let second = try await Self.read(chip, store: store, trust: trust)
        let eventId = try #require(try Self.registry(second)["eventId"] as? String)
        #expect(try await CLI.run(["audit", "verify", "--store", store]).status == 0)
        // Append-only: the trigger refuses an UPDATE.
        let db = try DatabaseQueue(path: String(store.dropFirst("sqlite:".count)))
        #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "UPDATE events SET station = 'x'") } }
        // A tamperer who drops the trigger changes the verdict of the second read.
        try await db.write { d in
            try d.execute(sql: "DROP TRIGGER events_no_update")
            try d.execute(sql: "UPDATE events SET payload = replace(payload, '\"verdict\":\"genuine\"', '\"verdict\":\"rejected\"') WHERE id = ?", arguments: [eventId])
        }
        try db.close()
        let audit = try await CLI.run(["audit", "verify", "--store", store, "--json"])
        #expect(audit.status == 1)
        let b = try #require(audit.json?["firstBreak"] as? [String: Any])
        #expect(b["eventId"] as? String == eventId && b["device"] as? String == "e2e-station")
    }
}
