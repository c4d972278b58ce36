import CCCDTestSupport
import CardSimulator
import Foundation
import ISO7816
import PCSC
import SimulatorHarness
import Testing

@Suite(.serialized)
struct ReadersCommandTests {
    @Test func jsonListsTheVirtualReaderWithTheTestCard() async throws {
        let card = TestCard()
        try await VirtualSlotLease.with(slot: 0) {
            // pcscd notices the previous holder's card leaving only at its next poll: wait for it,
            // or the stale "present" state answers for a card not yet connected.
            try await PCSCContext.waitUntilEmpty(reader: "Virtual PCD 00 00", timeout: .seconds(5))
            let bridge = VPCDBridge(card: card, slot: 0)
            try bridge.start()
            defer { bridge.stop() }
            _ = try await PCSCContext.waitForCard(reader: "Virtual PCD 00 00", timeout: .seconds(5))
            let run = try await CLI.run(["readers", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let readers = try #require(run.json?["readers"] as? [[String: Any]])
            let slot0 = try #require(readers.first { $0["name"] as? String == "Virtual PCD 00 00" })
            #expect(slot0["cardPresent"] as? Bool == true)
            #expect(slot0["atr"] as? String == card.atr.hex)
            #expect((slot0["profile"] as? [String: Any])?["id"] as? String == "vsmartcard-vpcd")
            #expect(readers.contains { $0["name"] as? String == "Virtual PCD 00 01" })
        }
    }

    @Test func missingPCSCServiceIsAClearTypedError() async throws {
        // pcsc-lite finds pcscd through this socket path; pointing it nowhere is "pcscd not running".
        let run = try await CLI.run(["readers", "--json"], environment: ["PCSCLITE_CSOCK_NAME": "/tmp/cccd-no-such-pcscd.sock"])
        #expect(run.status == 4)
        #expect(run.stderr.contains("is pcscd running?"))
        #expect(run.stderr.split(separator: "\n").count == 1)
        let error = try #require(run.json?["error"] as? [String: Any])
        #expect(error["code"] as? String == "pcscUnavailable")
    }

    @Test func watchPrintsEventsUntilInterrupted() async throws {
        try await VirtualSlotLease.with(slot: 1) {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["readers", "--watch", "--json"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await PCSCContext.waitUntilEmpty(reader: "Virtual PCD 00 01", timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(500))
            let bridge = VPCDBridge(card: TestCard(), slot: 1)
            try bridge.start()
            try await Task.sleep(for: .milliseconds(1500))
            bridge.stop()
            try await Task.sleep(for: .milliseconds(1500))
            process.interrupt()
            await process.exited()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0)
            let events = text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(events.contains { $0["event"] as? String == "readerAttached" && $0["reader"] as? String == "Virtual PCD 00 01" })
            #expect(events.contains { $0["event"] as? String == "cardInserted" && $0["reader"] as? String == "Virtual PCD 00 01" })
            #expect(events.contains { $0["event"] as? String == "cardRemoved" && $0["reader"] as? String == "Virtual PCD 00 01" })
        }
    }
}
