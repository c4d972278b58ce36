import CCCDTestSupport
import CardSimulator
import Foundation
import MRTD
import PCSC
import SimulatorHarness
import Testing

@Suite(.serialized)
struct SimulateAndTrustCommandTests {
    @Test func simulateServesAReadableCardUntilInterrupted() async throws {
        try await VirtualSlotLease.with(slot: 1) {
            try await PCSCContext.waitUntilEmpty(reader: VirtualReader.names[1], timeout: .seconds(5))
            let sim = Process()
            sim.executableURL = CLI.executable
            sim.arguments = ["simulate", "--reader-slot", "1", "--citizen", "079303001122"]
            sim.standardError = FileHandle.nullDevice
            try sim.run()
            defer { if sim.isRunning { sim.terminate() } }
            _ = try await PCSCContext.waitForCard(reader: VirtualReader.names[1], timeout: .seconds(10))
            let run = try await CLI.run(["read", "--reader", VirtualReader.names[1], "--id", "079303001122", "--json"],
                                        environment: ["CCCD_TRUST_STORE": "/nonexistent-cccd-store"])
            #expect(run.status == 5, "\(run.stderr)")
            #expect((run.json?["citizen"] as? [String: Any])?["idNumber"] as? String == "079303001122")
            #expect((run.json?["citizen"] as? [String: Any])?["sex"] as? String == "Nữ")
            sim.interrupt()
            await sim.exited()
            #expect(sim.terminationStatus == 0)
            try await PCSCContext.waitUntilEmpty(reader: VirtualReader.names[1], timeout: .seconds(5))
        }
    }

    @Test func exportThenTrustImportAndList() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-export-\(UUID().uuidString)").path
        let export = try await CLI.run(["simulate", "--export", dir])
        #expect(export.status == 0, "\(export.stderr)")
        for f in ["pki/csca.der", "pki/masterlist.ml", "pki/csca.crl", "files/DG13.bin", "files/EF_SOD.bin", "access.json", "profile.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + f), "\(f)")
        }
        let store = ["CCCD_TRUST_STORE": FileManager.default.temporaryDirectory.appendingPathComponent("cccd-store-\(UUID().uuidString)").path]
        // The exported list is self-certified: not stored without the operator's confirmation.
        let csca = try Certificate(der: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/pki/csca.der"))))
        let unconfirmed = try await CLI.run(["trust", "import", dir + "/pki/masterlist.ml", dir + "/pki/csca.crl"], environment: store)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.stderr.contains(csca.fingerprint))
        #expect(unconfirmed.stderr.split(separator: "\n").count == 1)
        let empty = try await CLI.run(["trust", "list", "--json"], environment: store)
        #expect((empty.json?["certificates"] as? [[String: Any]])?.isEmpty == true)
        let imp = try await CLI.run(["trust", "import", dir + "/pki/masterlist.ml", dir + "/pki/csca.crl", "--accept-csca", csca.fingerprint.uppercased()],
                                    environment: store)
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("master list"))
        #expect(imp.stdout.contains(csca.fingerprint))
        let list = try await CLI.run(["trust", "list", "--json"], environment: store)
        #expect(list.status == 0)
        let certs = try #require(list.json?["certificates"] as? [[String: Any]])
        #expect(certs.count == 1)
        #expect(certs.first?["selfSigned"] as? Bool == true)
        #expect((list.json?["crls"] as? [[String: Any]])?.count == 1)
        // A tampered master list is refused and the store is unchanged.
        var ml = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/pki/masterlist.ml")))
        ml[ml.count - 1] ^= 1
        let bad = dir + "/bad.ml"
        try Data(ml).write(to: URL(fileURLWithPath: bad))
        let refused = try await CLI.run(["trust", "import", bad], environment: store)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("master list rejected"))
    }

    @Test func trustImportVerifiesCRLsAndSkipsJunkInTheStore() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-export-\(UUID().uuidString)").path
        #expect(try await CLI.run(["simulate", "--export", dir]).status == 0)
        let storeDir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-store-\(UUID().uuidString)")
        let store = ["CCCD_TRUST_STORE": storeDir.path]
        // A CRL without a trusted CSCA to verify it is refused.
        let crlAlone = try await CLI.run(["trust", "import", dir + "/pki/csca.crl"], environment: store)
        #expect(crlAlone.status == 2)
        // CRL first, CSCA second, in one command: the CSCA counts.
        let csca = try Certificate(der: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/pki/csca.der"))))
        let both = try await CLI.run(["trust", "import", dir + "/pki/csca.crl", dir + "/pki/csca.der"], environment: store)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("new anchor \(csca.subject), SHA-256 \(csca.fingerprint)"))
        // A stray file in the store is reported and skipped, and survives the next import.
        try Data("junk".utf8).write(to: storeDir.appendingPathComponent("notes.txt"))
        let list = try await CLI.run(["trust", "list", "--json"], environment: store)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.contains("notes.txt"))
        #expect((list.json?["certificates"] as? [[String: Any]])?.count == 1)
        #expect(try await CLI.run(["trust", "import", dir + "/pki/csca.der"], environment: store).status == 0)
        #expect(FileManager.default.fileExists(atPath: storeDir.appendingPathComponent("notes.txt").path))
    }

    /// Issue 9 §4/§5 through pcscd: an over-60 card whose signer expired years ago is genuine with a
    /// warning; a key used before it was certified is rejected; a stale CRL is a warning. `--trust`
    /// with a self-certified master list is the operator's choice for the read.
    @Test(arguments: [("expired-signer", Int32(0), "signerTrusted", ["signerExpired"]),
                      ("signing-time=20230601", Int32(1), "signerNotValidAtSigning", []),
                      ("stale-crl", Int32(0), "signerTrusted", ["crlStale"])])
    func signerJudgedAtSigningTime(fault: String, exit: Int32, code: String, warnings: [String]) async throws {
        var profile = CardProfile.sample
        profile.citizen.idNumber = "001058012345"
        profile.citizen.dateOfBirth = "1958-03-04"
        profile.citizen.dateOfIssue = "2022-09-01"
        profile.citizen.dateOfExpiry = nil
        var faults = CardFaults()
        try faults.apply(fault)
        let chip = try SimulatedChip(profile: profile, faults: faults)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(try chip.card.pki.masterList()).write(to: dir.appendingPathComponent("vn.ml"))
        try Data(chip.card.pki.crl).write(to: dir.appendingPathComponent("vn.crl"))
        let run = try await VirtualReader.withCard(chip, slot: 1, beforeAnswer: chip.bridgeHook) { reader in
            try await CLI.run(["read", "--reader", reader, "--can", chip.card.can, "--trust", dir.path, "--json"],
                              environment: ["CCCD_TRUST_STORE": "/nonexistent-cccd-store"])
        }
        #expect(run.status == exit, "\(fault): \(run.stderr)")
        let signer = try #require((run.json?["verification"] as? [String: Any])?["signer"] as? [String: Any])
        #expect(signer["code"] as? String == code, "\(fault): \(signer)")
        #expect((signer["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == warnings, "\(fault): \(signer)")
    }

    @Test func simulateRejectsUnknownFaults() async throws {
        let run = try await CLI.run(["simulate", "--fault", "no-such-fault"])
        #expect(run.status == 2)
    }
}
