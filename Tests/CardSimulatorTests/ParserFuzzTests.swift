import CardSimulator
import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// Every parser of card data survives hostile input: truncation gives a typed error, and random
/// mutations or random bytes never crash or hang. The valid inputs come from a personalised card.
struct ParserFuzzTests {
    typealias Parser = @Sendable ([UInt8]) throws -> Void

    static let card = try! PersonalizedCard.personalize({ var p = CardProfile.sample; p.faceSize = 2_000; return p }())

    static var samples: [(String, [UInt8], Parser)] {
        let f = card.files
        let pki = card.pki
        let cardSecurity = try! CertificateBuilder.signedData(
            contentType: OID.securityObject, content: card.cardAccess.der, signer: pki.documentSignerKey,
            signerCertificate: pki.documentSignerCertificate, issuer: pki.cscaName, serial: pki.documentSignerSerial)
        let dg7 = TLV(tag: 0x67, children: [TLV(tag: 0x02, value: [1]), TLV(tag: 0x5F43, value: PlaceholderFace.jpeg)]).encoded
        let dg11 = TLV(tag: 0x6B, children: [TLV(tag: 0x5C, value: [0x5F, 0x0E]), TLV(tag: 0x5F0E, value: Array("NGUYEN<<AN".utf8))]).encoded
        let dg12 = TLV(tag: 0x6C, children: [TLV(tag: 0x5C, value: [0x5F, 0x19]), TLV(tag: 0x5F19, value: Array("BO CONG AN".utf8))]).encoded
        let dg16 = TLV(tag: 0x70, children: [TLV(tag: 0x02, value: [1]), TLV(tag: 0xA1, children: [TLV(tag: 0x5F51, value: Array("A".utf8))])]).encoded
        return [
            ("EF.COM", f[.com]!, { _ = try EFCOM($0) }),
            ("EF.CardAccess", f[.cardAccess]!, { _ = try SecurityInfos(der: $0) }),
            ("EF.CardSecurity", cardSecurity, { _ = try EFCardSecurity($0) }),
            ("EF.SOD", f[.sod]!, { _ = try SOD($0) }),
            ("DG1", f[.dataGroup(1)]!, { _ = try DG1($0) }),
            ("DG2", f[.dataGroup(2)]!, { _ = try DG2($0) }),
            ("DG7", dg7, { _ = try DG7($0) }),
            ("DG11", dg11, { _ = try DG11($0) }),
            ("DG12", dg12, { _ = try DG12($0) }),
            ("DG13", f[.dataGroup(13)]!, { _ = try DG13($0) }),
            ("DG14", f[.dataGroup(14)]!, { _ = try DG14($0) }),
            ("DG15", f[.dataGroup(15)]!, { _ = try DG15($0) }),
            ("DG16", dg16, { _ = try DG16($0) }),
            ("certificate", pki.cscaCertificate, { _ = try Certificate(der: $0) }),
            ("CRL", pki.crl, { _ = try CRL(der: $0) }),
            ("master list", try! pki.masterList(), { _ = try MasterList(der: $0) }),
            ("ATR", ATRBuilder.contactless(extendedLength: true), { _ = try ATR($0) }),
        ]
    }

    @Test func validSamplesParse() throws {
        for (name, bytes, parse) in Self.samples {
            #expect(throws: Never.self, "\(name)") { try parse(bytes) }
        }
    }

    @Test func truncationIsATypedError() throws {
        for (name, bytes, parse) in Self.samples {
            let ends = bytes.count <= 600 ? Array(bytes.indices) : Array(0..<200) + Array(stride(from: 200, to: bytes.count, by: 37))
            for end in ends {
                do {
                    try parse(Array(bytes[..<end]))
                    // A few structures are valid when cut at an element boundary (e.g. an ATR
                    // without historical bytes); those must still be shorter valid documents.
                    if name != "ATR" { Issue.record("\(name) prefix of \(end) bytes parsed") }
                } catch is LDSError, is ISO7816Error, is MRZError, is CryptoError {
                } catch {
                    Issue.record("\(name): untyped error \(type(of: error)) at \(end)")
                }
            }
        }
    }

    @Test func mutationsNeverCrash() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        for (_, bytes, parse) in Self.samples {
            for _ in 0..<400 {
                var b = bytes
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    let i = Int(rng.next() % UInt64(b.count))
                    switch rng.next() % 3 {
                    case 0: b[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                    default: if b.count > 1 { b.remove(at: i) }
                    }
                }
                _ = try? parse(b)
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0xFEED)
        let parsers = Self.samples.map(\.2)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 96)
            var b = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Half the time start with a plausible outer tag so the parsers get past the first byte.
            if n > 2, rng.next() % 2 == 0 { b[0] = [0x30, 0x31, 0x60, 0x61, 0x6D, 0x75, 0x77, 0x6E, 0x6F][Int(rng.next() % 9)] }
            for p in parsers { _ = try? p(b) }
        }
    }

    @Test func mrzParserNeverCrashes() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
        for _ in 0..<2000 {
            let n = [30, 60, 72, 88, 90, Int(rng.next() % 100)][Int(rng.next() % 6)]
            let s = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            _ = try? MRZ(s)
        }
    }
}

/// A channel that corrupts the card's answers: the read session must fail with a typed error, in
/// bounded time, never crash.
struct HostileCardTests {
    final class Corrupting: CardChannel, @unchecked Sendable {
        let base: InProcessChannel
        let seed: UInt64
        var rng: SplitMix64
        let limits = TransportLimits.extended

        init(_ base: InProcessChannel, seed: UInt64) {
            self.base = base
            self.seed = seed
            rng = SplitMix64(seed: seed)
        }

        func transmit(_ c: CommandAPDU) async throws -> ResponseAPDU {
            var r = try await base.transmit(c)
            if rng.next() % 3 == 0, !r.data.isEmpty {
                let i = Int(rng.next() % UInt64(r.data.count))
                switch rng.next() % 4 {
                case 0: r.data[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                case 1: r.data = Array(r.data.prefix(i))
                case 2: r.data += (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: self.rng.next()) }
                default: r.status = StatusWord(UInt16(truncatingIfNeeded: rng.next()))
                }
            }
            return r
        }
    }

    @Test func corruptedAnswersGiveTypedErrors() async throws {
        let chip = try SimulatedChip(profile: { var p = CardProfile.sample; p.faceSize = 3_000; return p }())
        for seed in UInt64(1)...60 {
            chip.reset()
            let channel = Corrupting(InProcessChannel(card: chip), seed: seed)
            let start = ContinuousClock.now
            do {
                _ = try await ReadSession(channel: channel, key: .can("012345")).read()
            } catch is MRTDError, is LDSError, is ISO7816Error, is AccessKeyError {
            } catch {
                Issue.record("seed \(seed): untyped \(type(of: error)): \(error)")
            }
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
