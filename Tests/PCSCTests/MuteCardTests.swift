import CardSimulator
import PCSC
import SimulatorHarness
import Testing

/// A mute card (no ATR) in the virtual reader: pcscd never reports it as present, so no read
/// starts on it and `cccd read --wait` times out instead of hanging on a dead card.
@Suite(.serialized)
struct MuteCardTests {
    @Test func muteCardIsNeverPresented() async throws {
        var f = CardFaults()
        f.mute = true
        let chip = try SimulatedChip(profile: .sample, faults: f)
        try await VirtualSlotLease.with(slot: 1) {
            let reader = VirtualReader.names[1]
            try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5))
            let bridge = VPCDBridge(card: chip, slot: 1)
            try bridge.start()
            defer { bridge.stop() }
            await #expect(throws: PCSCError.timeout) {
                _ = try await PCSCContext.waitForCard(reader: reader, timeout: .milliseconds(1500))
            }
            let state = try #require(try await PCSCContext.establish().readerStates().first { $0.reader == reader })
            #expect(!state.cardPresent)
        }
    }
}
