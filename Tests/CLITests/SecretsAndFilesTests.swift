import CCCDTestSupport
import CardSimulator
import Foundation
import PCSC
import SimulatorHarness
import Testing

/// Keys stay out of process listings, face images stay private, and a mute card is no card.
@Suite(.serialized)
struct SecretsAndFilesTests {
    static var reader: String { ReadCommandTests.reader }

    @Test func canFromStdinOrEnvironment() async throws {
        let chip = try SimulatedChip(profile: .sample)
        let trust = try ReadCommandTests.trustDir(chip.card)
        let fromStdin = try await ReadCommandTests.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--can", "-", "--trust", trust, "--json"], stdin: "012345\n")
        }
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        let fromEnv = try await ReadCommandTests.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--trust", trust, "--json"], environment: ["CCCD_CAN": "012345"])
        }
        #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
        let wrongFromStdin = try await ReadCommandTests.withCard(chip) {
            try await CLI.run(["read", "--reader", Self.reader, "--can", "-", "--trust", trust, "--json"], stdin: "654321\n")
        }
        #expect(wrongFromStdin.status == 3)
        let nothing = try await CLI.run(["read", "--reader", Self.reader, "--can", "-", "--json"], stdin: "")
        #expect(nothing.status == 2)
    }

    @Test func photoIsPrivateAndNeverWrittenThroughASymlink() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-photo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let photo = dir.appendingPathComponent("face.jpg").path
        let ok = try await CLI.run(["read", "--simulated", "--json", "--photo", photo],
                                   environment: ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: photo)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let target = dir.appendingPathComponent("elsewhere").path
        let link = dir.appendingPathComponent("link.jpg").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let refused = try await CLI.run(["read", "--simulated", "--json", "--photo", link],
                                        environment: ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"])
        #expect(refused.status == 4)
        #expect((refused.json?["error"] as? [String: Any])?["code"] as? String == "photoNotWritten")
        #expect(refused.stderr.contains("symbolic link"))
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// A mute card never turns into a read, let alone the built-in card.
    @Test func muteCardIsNoCard() async throws {
        var f = CardFaults()
        f.mute = true
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let run = try await VirtualSlotLease.with(slot: ReadCommandTests.slot) {
            try await PCSCContext.waitUntilEmpty(reader: Self.reader, timeout: .seconds(5))
            let bridge = VPCDBridge(card: chip, slot: ReadCommandTests.slot)
            try bridge.start()
            defer { bridge.stop() }
            try await Task.sleep(for: .milliseconds(500))
            return try await CLI.run(["read", "--reader", Self.reader, "--can", "012345", "--json"])
        }
        #expect(run.status == 4)
        #expect(["noCard", "communication"].contains((run.json?["error"] as? [String: Any])?["code"] as? String))
        #expect(run.json?["simulated"] == nil)
    }
}
