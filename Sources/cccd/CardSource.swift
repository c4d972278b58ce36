import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import SimulatorHarness

/// Where a read gets its card: a PC/SC reader, or the built-in simulated card (in a free virtual
/// reader when pcscd and vpcd are there, otherwise in-process).
enum CardSource {
    /// A reader that currently holds a card, matching the filter.
    static func readerWithCard(_ filter: String?) async throws -> (String, [UInt8])? {
        let context = try await PCSCContext.establish()
        let states = try await context.readerStates()
        return states.first { $0.cardPresent && !$0.cardMute && ReaderName.matches($0.reader, filter) }.map { ($0.reader, $0.atr) }
    }

    /// The built-in card: the synthetic citizen, personalised with the test PKI.
    static func builtInChip() throws -> SimulatedChip { try SimulatedChip(profile: .sample) }

    /// Runs `body` against the built-in simulated card, through a free virtual reader if possible.
    static func withBuiltInCard<T: Sendable>(_ body: @Sendable (any CardChannel, String, [UInt8], SimulatedChip) async throws -> T) async throws -> T {
        let chip = try builtInChip()
        if let states = try? await PCSCContext.establish().readerStates(),
           states.first(where: { $0.reader == VirtualReader.names[0] })?.cardPresent == false {
            return try await VirtualReader.withCard(chip, slot: 0) { reader in
                let channel = try await VirtualReader.channel(reader)
                return try await body(channel, reader, channel.atr, chip)
            }
        }
        return try await body(InProcessChannel(card: chip), "built-in simulated card (in-process)", chip.atr, chip)
    }
}
