import CCCDTestSupport
import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto
import PCSC
import SimulatorHarness
import Testing

/// `cccd read` and `cccd watch` as a station script uses them: the built executable against
/// simulated cards in the virtual reader, through pcscd.
@Suite(.serialized)
struct ReadCommandTests {
    static let slot = 1
    static var reader: String { VirtualReader.names[slot] }

    /// A directory with the simulator's trust anchors (what `cccd simulate --export` writes).
    static func trustDir(_ card: PersonalizedCard) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(card.pki.cscaCertificate).write(to: dir.appendingPathComponent("csca.der"))
        try Data(card.pki.crl).write(to: dir.appendingPathComponent("csca.crl"))
        return dir.path
    }

    static func emptyStore() -> [String: String] {
        ["CCCD_TRUST_STORE": FileManager.default.temporaryDirectory.appendingPathComponent("cccd-empty-\(UUID().uuidString)").path]
    }

    static func withCard<T: Sendable>(_ chip: SimulatedChip, _ body: () async throws -> T) async throws -> T {
        try await VirtualReader.withCard(chip, slot: slot, beforeAnswer: chip.bridgeHook) { _ in try await body() }
    }

    @Test func genuineCardJSONFieldByField() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let trust = try Self.trustDir(chip.card)
        let photo = FileManager.default.temporaryDirectory.appendingPathComponent("face-\(UUID().uuidString).jpg").path
        let run = try await Self.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--trust", trust, "--json", "--photo", photo])
        }
        #expect(run.status == 0, "\(run.stderr)")
        let j = try #require(run.json)
        #expect(j["reader"] as? String == Self.reader)
        #expect(j["atr"] as? String == chip.atr.hex)
        #expect(j["access"] as? [String: String] == ["method": "PACE", "password": "CAN"])
        let doc = try #require(j["document"] as? [String: Any])
        #expect(doc["documentCode"] as? String == "ID")
        #expect(doc["issuingState"] as? String == "VNM")
        #expect(doc["documentNumber"] as? String == "099012345")
        #expect(doc["dateOfBirth"] as? String == "1999-02-01")
        #expect(doc["dateOfExpiry"] as? String == "2039-02-01")
        #expect(doc["sex"] as? String == "M")
        #expect(doc["name"] as? String == "NGUYEN VAN AN")
        #expect(doc["mrz"] as? String == chip.card.mrzLines.joined(separator: "\n"))
        let c = try #require(j["citizen"] as? [String: Any])
        let expected: [String: String] = [
            "idNumber": "001099012345", "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-02-01", "sex": "Nam",
            "nationality": "Việt Nam", "ethnicity": "Kinh", "religion": "Không", "placeOfOrigin": "Xã A, Huyện B, Tỉnh C",
            "placeOfResidence": "Số 1, Phố D, Phường E, Quận F, Hà Nội", "identifyingMarks": "Nốt ruồi C:1cm trên trước mép phải",
            "dateOfIssue": "2021-05-10", "dateOfExpiry": "2039-02-01", "fatherName": "Nguyễn Văn Bình", "motherName": "Trần Thị Cúc",
            "oldIdNumber": "012345678",
        ]
        for (k, v) in expected { #expect(c[k] as? String == v, "\(k)") }
        #expect(c["spouseName"] is NSNull)
        let face = try DG2(chip.card.files[.dataGroup(2)]!).face.data
        let p = try #require(j["photo"] as? [String: Any])
        #expect(p["format"] as? String == "jpeg")
        #expect(p["bytes"] as? Int == face.count)
        #expect(p["sha256"] as? String == HashAlgorithm.sha256.hash(face).hex.lowercased())
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: photo))) == face)
        let v = try #require(j["verification"] as? [String: Any])
        let passive = try #require(v["passive"] as? [String: Any])
        #expect(passive["status"] as? String == "passed")
        #expect(passive["dataGroups"] as? [String: String] == ["DG1": "match", "DG2": "match", "DG3": "notRead", "DG13": "match", "DG14": "match", "DG15": "match"])
        #expect((v["signer"] as? [String: Any])?["status"] as? String == "trusted")
        #expect(((v["signer"] as? [String: Any])?["subject"] as? String)?.contains("Document Signer Test VN") == true)
        #expect((v["chip"] as? [String: Any])?["status"] as? String == "passed")
        #expect((v["active"] as? [String: Any])?["status"] as? String == "passed")
        #expect((v["consistency"] as? [String: Any])?["status"] as? String == "passed")
        #expect((v["consistency"] as? [String: Any])?["problems"] as? [String] == [])
        #expect(j["verdict"] as? String == "genuine")
        let stats = try #require(j["stats"] as? [String: Any])
        // EF.CardAccess 1, PACE 5, SELECT 1, DG14 1, CA 2 (MSE, GA; the reads under the new keys
        // are the proof), EF.SOD, EF.COM, DG1, DG2, DG13, DG15 1 each, AA 1: the floor of 17.
        #expect(stats["apdus"] as? Int == 17)
        #expect((stats["bytesReceived"] as? Int ?? 0) > face.count)
        #expect(stats["milliseconds"] is Int)
        let phases = try #require(stats["phases"] as? [String: Double])
        #expect(phases.keys.count == 5 && phases.values.allSatisfy { $0 >= 0 })
    }

    @Test func rejectedCardExitsOne() async throws {
        var f = CardFaults()
        f.alteredDataGroups = [1]
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let trust = try Self.trustDir(chip.card)
        let run = try await Self.withCard(chip) { try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--trust", trust, "--json"]) }
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.json?["verdict"] as? String == "rejected")
    }

    /// A clone answering 6F00 for a signed DG15: exit 1 (rejected), not exit 4.
    @Test func chipAnsweringAnErrorForASignedDataGroupExitsOne() async throws {
        var f = CardFaults()
        f.failingDataGroups = [15]
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let trust = try Self.trustDir(chip.card)
        let run = try await Self.withCard(chip) { try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--trust", trust, "--json"]) }
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.json?["verdict"] as? String == "rejected")
    }

    @Test func unknownSignerExitsFive() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let run = try await Self.withCard(chip) {
            try await CLI.run(["read", "--reader", "virtual pcd 00 01", "--id", "001099012345", "--json"], environment: Self.emptyStore())
        }
        #expect(run.status == 5, "\(run.stderr)")
        #expect(run.json?["verdict"] as? String == "unverified")
        #expect(((run.json?["verification"] as? [String: Any])?["signer"] as? [String: Any])?["status"] as? String == "unknown")
    }

    @Test func bacWithIDAndDatesAndWithTheFullMRZ() async throws {
        var profile = CardProfile.sample
        profile.pace = false
        let chip = try SimulatedChip(profile: profile)
        let trust = try Self.trustDir(chip.card)
        let byID = try await Self.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--id", "001099012345", "--birth", "990201", "--expiry", "390201", "--trust", trust, "--json"])
        }
        #expect(byID.status == 0, "\(byID.stderr)")
        #expect(byID.json?["access"] as? [String: String] == ["method": "BAC", "password": "MRZ"])
        let byMRZ = try await Self.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--mrz", chip.card.mrzLines.joined(), "--trust", trust, "--json"])
        }
        #expect(byMRZ.status == 0, "\(byMRZ.stderr)")
    }

    @Test func wrongCANExitsThreeWithAJSONError() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let run = try await Self.withCard(chip) { try await CLI.run(["read", "--reader", Self.reader, "--can", "654321", "--json"]) }
        #expect(run.status == 3)
        #expect((run.json?["error"] as? [String: Any])?["code"] as? String == "accessDenied")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(!run.stderr.contains("654321"))
    }

    @Test func usageErrorsExitTwo() async throws {
        for args in [["read", "--can", "12"], ["read", "--can", "123456", "--id", "001099012345"], ["read", "--id", "123"],
                     ["read", "--mrz", "NOT AN MRZ"], ["read", "--birth", "990101"]] {
            let run = try await CLI.run(args)
            #expect(run.status == 2, "\(args)")
        }
    }

    @Test func waitTimesOutWithExitFour() async throws {
        try await VirtualSlotLease.with(slot: Self.slot) {
            try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            let start = ContinuousClock.now
            let run = try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--wait", "1", "--json"])
            let elapsed = ContinuousClock.now - start
            #expect(run.status == 4)
            #expect((run.json?["error"] as? [String: Any])?["code"] as? String == "noCard")
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(5))
        }
    }

    @Test func waitPicksUpACardPresentedLater() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let trust = try Self.trustDir(chip.card)
        try await VirtualSlotLease.with(slot: Self.slot) {
            try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            async let run = CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--trust", trust, "--wait", "10", "--json"])
            try await Task.sleep(for: .milliseconds(700))
            let bridge = VPCDBridge(card: chip, slot: Self.slot)
            try bridge.start()
            let r = try await run
            bridge.stop()
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    @Test func builtInCardOnlyWhenAskedForByName() async throws {
        let noPCSC = ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"]
        let run = try await CLI.run(["read", "--simulated", "--json"], environment: noPCSC)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.json?["simulated"] as? Bool == true)
        #expect(run.json?["reader"] as? String == "built-in simulated card (in-process)")
        #expect(run.json?["verdict"] as? String == "genuine")
        let human = try await CLI.run(["read", "--simulated"], environment: noPCSC)
        #expect(human.stdout.split(separator: "\n").first?.contains("SIMULATED") == true)
        #expect(human.stdout.contains("Họ và tên (Full name)"))
        #expect(human.stdout.contains("THẺ THẬT (GENUINE)"))
    }

    /// The stand-in card never answers for a missing one: no pcscd, no reader or no card is an
    /// error (exit 4), whatever key was given.
    @Test func noCardIsNeverTheBuiltInCard() async throws {
        let noPCSC = try await CLI.run(["read", "--json", "--can", "999999"], environment: ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"])
        #expect(noPCSC.status == 4, "\(noPCSC.stderr)")
        #expect((noPCSC.json?["error"] as? [String: Any])?["code"] as? String == "pcscUnavailable")
        #expect(noPCSC.json?["verdict"] == nil)
        try await VirtualSlotLease.with(slot: Self.slot) {
            try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            let empty = try await CLI.run(["read", "--json", "--reader", Self.reader, "--can", "999999"])
            #expect(empty.status == 4, "\(empty.stderr)")
            #expect((empty.json?["error"] as? [String: Any])?["code"] as? String == "noCard")
            #expect(empty.json?["simulated"] == nil)
        }
    }

    @Test func versionIsPrinted() async throws {
        let run = try await CLI.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.3.0")
    }

    @Test func watchPresentsTheBuiltInCardOnlyWhenAsked() async throws {
        let run = try await CLI.run(["watch", "--simulated", "--json"], environment: ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.json?["simulated"] as? Bool == true)
        #expect(run.json?["verdict"] as? String == "genuine")
        let refused = try await CLI.run(["watch", "--simulated", "--can", "123456"])
        #expect(refused.status == 2)
    }

    @Test func simulatedRefusesOptionsItWouldIgnore() async throws {
        for extra in [["--reader", "x"], ["--can", "123456"], ["--trust", "/tmp"], ["--id", "001099012345"]] {
            let run = try await CLI.run(["read", "--simulated", "--json"] + extra)
            #expect(run.status == 2, "\(extra)")
            #expect((run.json?["error"] as? [String: Any])?["code"] as? String == "usage")
        }
    }

    @Test func apduLogIsRedacted() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("apdus-\(UUID().uuidString).log").path
        let run = try await Self.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--json", "--log-apdus", log], environment: Self.emptyStore())
        }
        #expect(run.status == 5)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let apdus = try #require((run.json?["stats"] as? [String: Any])?["apdus"] as? Int)
        #expect(apdus == 17)
        #expect(text.split(separator: "\n").count == apdus)
        #expect(!text.contains("C="))
        #expect(!text.contains("012345"))
    }

    @Test func watchReportsEachCardAndSurvivesAPulledCard() async throws {
        let good = try SimulatedChip(profile: .sample)
        var f = CardFaults()
        f.removeAfterAPDUs = 10
        let pulled = try SimulatedChip(profile: .sample, faults: f)
        let trust = try Self.trustDir(good.card)
        try await VirtualSlotLease.with(slot: Self.slot) {
            try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["watch", "--reader", Self.reader, "--can", "012345", "--trust", trust, "--json"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(500))
            for chip in [pulled, good] {
                let bridge = VPCDBridge(card: chip, slot: Self.slot, beforeAnswer: chip.bridgeHook)
                try bridge.start()
                try await Task.sleep(for: .milliseconds(1500))
                bridge.stop()
                try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            }
            process.interrupt()
            await process.exited()
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
            let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(process.terminationStatus == 0)
            #expect(objects.count == 2, "\(lines)")
            #expect(objects.first?["error"] != nil)
            #expect(objects.last?["verdict"] as? String == "genuine")
        }
    }
}
