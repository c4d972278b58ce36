import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// The whole read — access control, file reading, DG13 accessors, consistency checks, CardReader's
/// mapping, Passive/Chip/Active Authentication — against hostile cards: it ends in a readout or a
/// typed error, never a trap (issue 9 §2).
struct HostileReadFuzzTests {
    static let card = try! PersonalizedCard.personalize({ var p = CardProfile.sample; p.faceSize = 1_200; return p }())
    /// BAC with 3DES secure messaging, and an RSA PKI: the other paths a read can take.
    static let bacCard = try! PersonalizedCard.personalize({ var p = CardProfile.sample; p.faceSize = 1_200; p.pace = false; return p }())
    static let rsaCard = try! PersonalizedCard.personalize({ var p = CardProfile.sample; p.faceSize = 1_200; p.pkiFlavor = .rsa; return p }())
    static let trust = TrustStore(anchors: [card, rsaCard].map { try! Certificate(der: $0.pki.cscaCertificate) },
                                  crls: [card, rsaCard].map { try! CRL(der: $0.pki.crl) })
    static let files: [LDSFileID] = [.cardAccess, .com, .sod, .dataGroup(1), .dataGroup(2), .dataGroup(13), .dataGroup(14), .dataGroup(15)]

    static func reader() -> CardReader {
        CardReader(options: .init(trust: trust, date: Date(timeIntervalSince1970: 1_780_000_000), random: SystemRandom()))
    }

    /// Errors a read may end in. Anything else is an untyped escape worth a look.
    static func isTyped(_ e: any Error) -> Bool {
        e is MRTDError || e is LDSError || e is ISO7816Error || e is CryptoError || e is MRZError || e is CardStatusError
            || e is SecureMessagingError || e is CCCDError || e is AccessKeyError
    }

    @Test func unmodifiedCardsReadGenuine() async throws {
        for card in [Self.card, Self.bacCard, Self.rsaCard] {
            let key = card.profile.pace ? AccessKey.can(card.can) : card.mrzKey
            let r = try await Self.reader().read(channel: InProcessChannel(card: SimulatedChip(card: card)), key: key, reader: "fuzz", atr: [])
            #expect(r.verdict == .genuine)
        }
    }

    /// A chip serving a mutated file under valid secure messaging: every parser and check behind
    /// the session sees hostile content, as from a card personalised by an attacker.
    @Test func hostileFilesBehindSecureMessaging() async {
        await FuzzBudget.runAsync("hostile files", defaultCount: 16) { rng, seed in
            var card = [Self.card, Self.card, Self.bacCard, Self.rsaCard][Int(rng.next() % 4)]
            let key = card.profile.pace ? AccessKey.can(card.can) : card.mrzKey
            for _ in 0..<Int(rng.next() % 2 + 1) {
                let id = Self.files[Int(rng.next() % UInt64(Self.files.count))]
                card = card.replacingFile(id, with: Mutator.mutate(card.files[id] ?? [], &rng))
            }
            let chip = SimulatedChip(card: card)
            do {
                let r = try await Self.reader().read(channel: InProcessChannel(card: chip), key: key, reader: "fuzz", atr: [])
                _ = (r.verdict, r.citizen?.dateOfBirth, r.document?.dateOfBirth)
            } catch {
                if !Self.isTyped(error) { Issue.record("seed \(seed): untyped \(type(of: error)): \(error)") }
            }
        }
    }

    /// Answers corrupted on the wire (outside secure messaging), through CardReader.
    @Test func corruptedAnswersThroughCardReader() async {
        let chip = SimulatedChip(card: Self.card)
        await FuzzBudget.runAsync("corrupted answers", defaultCount: 16) { rng, seed in
            chip.reset()
            let channel = Mutating(InProcessChannel(card: chip), seed: rng.next())
            do {
                _ = try await Self.reader().read(channel: channel, key: .can(Self.card.can), reader: "fuzz", atr: [])
            } catch {
                if !Self.isTyped(error) { Issue.record("seed \(seed): untyped \(type(of: error)): \(error)") }
            }
        }
    }

    /// Random whole answers (random status words and data), with and without a plausible 9000.
    @Test func randomAnswersGiveTypedErrors() async {
        await FuzzBudget.runAsync("random answers", defaultCount: 40) { rng, seed in
            let channel = RandomCard(seed: rng.next())
            do {
                _ = try await Self.reader().read(channel: channel, key: .can("012345"), reader: "fuzz", atr: [])
                Issue.record("seed \(seed): a random card read through")
            } catch {
                if !Self.isTyped(error) { Issue.record("seed \(seed): untyped \(type(of: error)): \(error)") }
            }
        }
    }

    /// Mutates some answers: bit flips, truncation, inflated lengths, inserts, odd status words.
    final class Mutating: CardChannel, @unchecked Sendable {
        let base: InProcessChannel
        var rng: SplitMix64
        let limits = TransportLimits.extended

        init(_ base: InProcessChannel, seed: UInt64) {
            self.base = base
            rng = SplitMix64(seed: seed)
        }

        func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
            var r = try await base.transmit(c)
            guard rng.next() % 4 == 0 else { return r }
            switch rng.next() % 4 {
            case 0: r.status = StatusWord(UInt16(truncatingIfNeeded: rng.next()))
            case 1: r.status = [StatusWord(0x6282), StatusWord(0x6700), StatusWord(0x6C00), StatusWord(0x6CFF), StatusWord(0x6B00), StatusWord(0x9000)][Int(rng.next() % 6)]
            default: r.data = Mutator.mutate(r.data, &rng)
            }
            return r
        }
    }

    /// A "card" answering every command with random bytes.
    final class RandomCard: CardChannel, @unchecked Sendable {
        var rng: SplitMix64
        let limits = TransportLimits.extended
        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
            let data = Mutator.randomBytes(Int(rng.next() % 80), &rng)
            let sw = rng.next() % 3 == 0 ? StatusWord(UInt16(truncatingIfNeeded: rng.next())) : StatusWord(0x9000)
            return ResponseAPDU(data: data, status: sw)
        }
    }
}

/// §6 end to end: a card offering only a weak explicit curve is refused before MSE:Set AT.
struct WeakDomainReadTests {
    /// Sound parameters given explicitly (EC and proprietary DH) still read.
    @Test(arguments: [0, 2, 11, 13, 18])
    func soundExplicitParametersRead(id: Int) async throws {
        var p = CardProfile.sample
        p.paceExplicitDomain = true
        p.paceParameterIDs = [id]
        p.faceSize = 1_000
        let chip = try SimulatedChip(profile: p)
        let (readout, _) = try await ReadSession(channel: InProcessChannel(card: chip), key: .can(chip.card.can)).read()
        guard case .pace(let outcome) = readout.access else { Issue.record("not PACE"); return }
        #expect(outcome.selection.info.parameterID == 32)
    }

    @Test func weakExplicitCurveIsRefusedBeforeThePasswordIsUsed() async throws {
        var p = CardProfile.sample
        p.paceExplicitDomain = true
        p.paceParameterIDs = [9]  // brainpoolP192r1, given explicitly
        p.faceSize = 1_000
        let chip = try SimulatedChip(profile: p)
        let channel = Recording(InProcessChannel(card: chip))
        do {
            _ = try await ReadSession(channel: channel, key: .can(chip.card.can)).read()
            Issue.record("read through a 192-bit explicit curve")
        } catch let MRTDError.unsafeDomainParameters(reason) {
            #expect(reason.contains("below 224"))
        }
        #expect(!channel.instructions.current.isEmpty)
        #expect(!channel.instructions.current.contains(0x22), "MSE:Set AT was sent")
        #expect(!channel.instructions.current.contains(0x86), "GENERAL AUTHENTICATE was sent")
    }

    final class Recording: CardChannel, Sendable {
        let base: InProcessChannel
        let instructions = Locked([UInt8]())
        var limits: TransportLimits { base.limits }
        init(_ base: InProcessChannel) { self.base = base }
        func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
            instructions.withLock { $0.append(c.ins) }
            return try await base.transmit(c)
        }
    }
}
