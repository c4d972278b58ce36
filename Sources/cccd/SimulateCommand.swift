import ArgumentParser
import CardSimulator
import CCCD
import Foundation
import MRTD

extension CCCD {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Run a simulated ID card in a virtual reader (pcscd + vsmartcard-vpcd) until interrupted.",
            discussion: "Faults: \(CardFaults.names.joined(separator: ", ")). With --export DIR, write the card's files and its test PKI instead.")

        @Option(help: "A card profile (JSON: {\"citizen\": {...}, ...}).")
        var profile: String?

        @Option(help: "Personalise a synthetic citizen with this 12-digit ID number.")
        var citizen: String?

        @Option(help: "Virtual reader slot: 0 (\"Virtual PCD 00 00\") or 1.")
        var readerSlot: Int = 0

        @Option(name: .customLong("fault"), help: "Inject a fault; repeatable.")
        var faults: [String] = []

        @Option(help: "Write the card's files, access data and PKI (trust anchors for --trust) to this directory, then exit.")
        var export: String?

        @Flag(help: "Serve the small transport test card instead of an ID card.")
        var testCard = false

        func validate() throws {
            guard readerSlot == 0 || readerSlot == 1 else { throw ValidationError("--reader-slot must be 0 or 1") }
            if profile != nil && citizen != nil { throw ValidationError("give --profile or --citizen, not both") }
            var f = CardFaults()
            for spec in faults { do { try f.apply(spec) } catch { throw ValidationError("\(error)") } }
        }

        func cardProfile() throws -> CardProfile {
            if let profile {
                do {
                    return try JSONDecoder().decode(CardProfile.self, from: Data(contentsOf: URL(fileURLWithPath: profile)))
                } catch {
                    throw CLIError.usage("\(profile): not a card profile (\(error))")
                }
            }
            if let citizen { return CardProfile(citizen: try SyntheticCitizen.make(idNumber: citizen)) }
            return .sample
        }

        func run() async throws {
            let output = Output(json: false)
            do {
                var f = CardFaults()
                for spec in faults { try f.apply(spec) }
                if testCard {
                    try await serve(TestCard(), hook: nil, description: "transport test card")
                    return
                }
                let chip = SimulatedChip(card: try PersonalizedCard.personalize(try cardProfile(), faults: f))
                if let export {
                    try Export.write(chip.card, to: URL(fileURLWithPath: export))
                    print("wrote the card's files and PKI to \(export)")
                    return
                }
                try await serve(chip, hook: chip.bridgeHook, description: "simulated ID card (CAN \(chip.card.can))")
            } catch let e as ExitCode {
                throw e
            } catch let e as CLIError {
                throw output.fail(e)
            } catch let e as FaultError {
                throw output.fail(.usage(e.description))
            } catch let e as CCCDError {
                throw output.fail(.usage(e.description))
            } catch let e as VPCDBridge.BridgeError {
                throw output.fail(.failed(code: "pcscUnavailable", message: e.description, exit: .communication))
            }
        }

        private func serve(_ card: any SmartCard, hook: (@Sendable (Int) -> Bool)?, description: String) async throws {
            let bridge = VPCDBridge(card: card, slot: readerSlot, beforeAnswer: hook)
            try bridge.start()
            FileHandle.standardError.write(Data("cccd: \(description) in Virtual PCD 00 0\(readerSlot); Ctrl-C to remove it\n".utf8))
            try await withInterruptCancellation {
                while bridge.isRunning { try await Task.sleep(for: .milliseconds(200)) }
            }
            bridge.stop()
        }
    }
}

/// A plausible synthetic citizen for a given ID number (birth year and sex from the number).
enum SyntheticCitizen {
    static func make(idNumber: String) throws -> CitizenRecord {
        let id = try IDNumber(idNumber)
        var r = CitizenRecord.sample
        r.idNumber = id.digits
        r.sex = String(id.sex)
        r.fullName = id.sex == "M" ? "Trần Văn Bảo" : "Lê Thị Hoa"
        r.dateOfBirth = "\(id.birthYear)-06-15"
        r.dateOfIssue = "\(max(id.birthYear + 14, 2021))-07-01"
        r.dateOfExpiry = "\(id.birthYear + 40)-06-15"
        r.oldIdNumber = nil
        return r
    }
}

/// `cccd simulate --export`: the card as files, for inspection and for `--trust`.
enum Export {
    static func write(_ card: PersonalizedCard, to dir: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("files"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("pki"), withIntermediateDirectories: true)
        for (id, bytes) in card.files {
            let name = id.description.replacingOccurrences(of: "EF.", with: "EF_")
            try Data(bytes).write(to: dir.appendingPathComponent("files/\(name).bin"))
        }
        try Data(card.pki.cscaCertificate).write(to: dir.appendingPathComponent("pki/csca.der"))
        try Data(card.pki.documentSignerCertificate).write(to: dir.appendingPathComponent("pki/document-signer.der"))
        try Data(card.pki.crl).write(to: dir.appendingPathComponent("pki/csca.crl"))
        try Data(try card.pki.masterList()).write(to: dir.appendingPathComponent("pki/masterlist.ml"))
        let access: [String: String] = ["can": card.can, "mrz": card.mrzLines.joined(separator: "\n")]
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try enc.encode(access).write(to: dir.appendingPathComponent("access.json"))
        try enc.encode(card.profile).write(to: dir.appendingPathComponent("profile.json"))
    }
}
