import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC
import SimulatorHarness
import Testing

/// A read holds a PC/SC transaction: another client cannot slip an APDU into the secure-messaging
/// session (which would end it, or worse, be answered in its place).
@Suite(.serialized)
struct TransactionTests {
    @Test func anotherClientCannotInterleaveDuringARead() async throws {
        var f = CardFaults()
        f.latencyMilliseconds = 15
        let chip = try SimulatedChip(profile: .sample, faults: f)
        let pki = try TestPKI()
        var trust = TrustStore()
        try trust.importBytes(pki.cscaCertificate, name: "csca.der")
        let store = trust
        try await VirtualReader.withCard(chip, slot: 0) { reader in
            let channel = try await VirtualReader.channel(reader)
            let started = Locked(false)
            let readEnded = Locked<ContinuousClock.Instant?>(nil)
            async let readout = channel.card.withTransaction { _ in
                started.withLock { $0 = true }
                let r = try await CardReader(options: .init(trust: store)).read(channel: channel, key: .can(chip.card.can), reader: reader, atr: channel.atr)
                readEnded.withLock { $0 = .now }
                return r
            }
            while !started.current { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(100))
            // pcsc-lite holds the intruder's command until the transaction ends (or refuses it).
            let intruder = try await PCSCContext.establish().connect(reader: reader)
            let answered: ContinuousClock.Instant? = try? await { _ = try await intruder.transmit([0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]); return .now }()
            let r = try await readout
            // A plain SELECT inside the session would have ended secure messaging: the read would fail.
            #expect(r.verdict == .genuine, "\(r.verification)")
            let end = try #require(readEnded.current)
            if let answered { #expect(answered >= end) }
            try await intruder.disconnect()
        }
    }
}
