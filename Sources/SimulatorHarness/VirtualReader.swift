import CardSimulator
import Foundation
import ISO7816
import PCSC

/// Puts simulated cards into the vpcd virtual readers and waits until pcscd sees them, so tests,
/// demos and `cccd read` exercise the real PC/SC stack.
public enum VirtualReader {
    /// Names pcscd gives the two vpcd slots.
    public static let names = ["Virtual PCD 00 00", "Virtual PCD 00 01"]

    /// Inserts `card` into `slot` for the duration of `body` (holding the slot lease across
    /// processes), waits for pcscd to report it, and always removes it afterwards.
    ///
    /// pcscd notices a vpcd card leaving only at its next presence poll, so the slot is first awaited
    /// empty: otherwise the previous user's card would still look present.
    public static func withCard<T: Sendable>(
        _ card: any SmartCard, slot: Int = 0, beforeAnswer: (@Sendable (Int) -> Bool)? = nil,
        _ body: (String) async throws -> T
    ) async throws -> T {
        try await VirtualSlotLease.with(slot: slot) {
            let reader = names[slot]
            try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5))
            let bridge = VPCDBridge(card: card, slot: slot, beforeAnswer: beforeAnswer)
            try bridge.start()
            defer { bridge.stop() }
            if card.atr.isEmpty {
                _ = try await PCSCContext.waitForState(reader: reader, timeout: .seconds(5)) { $0.cardPresent }
            } else {
                _ = try await PCSCContext.waitForCard(reader: reader, timeout: .seconds(5))
            }
            return try await body(reader)
        }
    }

    /// Holds the leases of `slots` for the whole of `body` (`VirtualSlotLease.withAll`), their
    /// readers first awaited empty (pcscd notices a vpcd card leaving only at its next presence
    /// poll: a station started earlier would read the previous user's card).
    public static func withEmptySlots<T: Sendable>(_ slots: [Int], _ body: () async throws -> T) async throws -> T {
        try await VirtualSlotLease.withAll(slots: slots) {
            for slot in slots { try await PCSCContext.waitUntilEmpty(reader: names[slot], timeout: .seconds(5)) }
            return try await body()
        }
    }

    /// Connects to the card in `reader` and opens a profile-aware channel.
    public static func channel(_ reader: String) async throws -> PCSCChannel {
        let context = try await PCSCContext.establish()
        return try await PCSCChannel.open(try await context.connect(reader: reader))
    }
}
