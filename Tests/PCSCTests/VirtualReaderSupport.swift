import CardSimulator
import Foundation
import ISO7816
import PCSC
import SimulatorHarness

/// Names pcscd gives the two vpcd slots.
let virtualReaderNames = VirtualReader.names

/// Inserts `card` into a virtual slot for the duration of `body`; see `VirtualReader.withCard`.
func withCardInVirtualReader<T: Sendable>(
    _ card: any SmartCard, slot: Int = 0, beforeAnswer: (@Sendable (Int) -> Bool)? = nil,
    _ body: (String) async throws -> T
) async throws -> T {
    try await VirtualReader.withCard(card, slot: slot, beforeAnswer: beforeAnswer, body)
}
