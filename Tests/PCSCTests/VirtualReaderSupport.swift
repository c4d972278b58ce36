import CardSimulator
import Foundation
import ISO7816
import PCSC

/// Names pcscd gives the two vpcd slots.
let virtualReaderNames = ["Virtual PCD 00 00", "Virtual PCD 00 01"]

/// Inserts `card` into virtual slot `slot` for the duration of `body`, holding the slot lease, and
/// waits until pcscd reports the card. The card is always removed afterwards.
///
/// pcscd notices a vpcd card leaving only at its next presence poll, so a slot is first awaited
/// empty: otherwise the previous test's card would still look present.
func withCardInVirtualReader<T: Sendable>(
    _ card: any SmartCard, slot: Int = 0, beforeAnswer: (@Sendable (Int) -> Bool)? = nil,
    _ body: (String) async throws -> T
) async throws -> T {
    try await VirtualSlotLease.with(slot: slot) {
        let reader = virtualReaderNames[slot]
        try await waitUntilEmpty(reader)
        let bridge = VPCDBridge(card: card, slot: slot, beforeAnswer: beforeAnswer)
        try bridge.start()
        defer { bridge.stop() }
        _ = try await PCSCContext.waitForCard(reader: reader, timeout: .seconds(5))
        return try await body(reader)
    }
}

/// Returns once pcscd shows no card in `reader`.
func waitUntilEmpty(_ reader: String, timeout: Duration = .seconds(5)) async throws {
    try await PCSCContext.waitUntilEmpty(reader: reader, timeout: timeout)
}
