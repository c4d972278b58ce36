import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import SimulatorHarness
import Testing

/// A card left on the reader is read again: the previous read left the eMRTD application selected
/// (and the chip powered), where EF.CardAccess cannot be reached on a card without SELECT MF.
@Suite(.serialized)
struct RepeatedReadTests {
    @Test func cardLeftOnTheReaderReadsAgain() async throws {
        let chip = try SimulatedChip(profile: .sample)
        var trust = TrustStore()
        try trust.importBytes(chip.card.pki.cscaCertificate, name: "csca.der")
        let store = trust
        try await VirtualReader.withCard(chip, slot: 0) { reader in
            for round in 1...2 {
                let channel = try await VirtualReader.channel(reader)
                let r = try await channel.card.withTransaction { _ in
                    try await CardReader(options: .init(trust: store)).read(channel: channel, key: .can(chip.card.can), reader: reader, atr: channel.atr)
                }
                #expect(r.access.method == "PACE", "round \(round)")
                #expect(r.verdict == .genuine, "round \(round): \(r.verification)")
                try? await channel.card.disconnect()
            }
        }
    }
}
