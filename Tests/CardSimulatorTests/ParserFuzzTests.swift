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
            ("ATR", ATRBuilder.contactless(extendedLength: true), { _ = try ATR($0).supportsExtendedLength }),
        ]
    }

    static let rsaCard = try! PersonalizedCard.personalize({ var p = CardProfile.sample; p.faceSize = 500; p.pkiFlavor = .rsa; return p }())
    static let date = Date(timeIntervalSince1970: 1_780_000_000)
    /// EF.CardAccess with explicit PACE domain parameters (EC and DH): mutations reach the §6 checks.
    static let explicitAccess: [[UInt8]] = [13, 0].map { id in
        var p = CardProfile.sample
        p.paceExplicitDomain = true
        p.paceParameterIDs = [id]
        p.faceSize = 500
        return try! PersonalizedCard.personalize(p).files[.cardAccess]!
    }

    /// Parsers followed by everything a read does with their result: accessors, consistency
    /// checks, PACE selection, Passive Authentication, chain and CRL checks.
    static var deepSamples: [(String, [UInt8], Parser)] {
        let f = card.files
        let pki = card.pki
        let csca = try! Certificate(der: pki.cscaCertificate)
        let trust = TrustStore(anchors: [csca], crls: [try! CRL(der: pki.crl)])
        let dg1 = try! DG1(f[.dataGroup(1)]!), dg13 = try! DG13(f[.dataGroup(13)]!)
        let rsaFiles = rsaCard.files
        let rsaTrust = TrustStore(anchors: [try! Certificate(der: rsaCard.pki.cscaCertificate)])
        let pss = DERBuilder.sequence([
            DERBuilder.contextConstructed(0, DERBuilder.sequence([DERBuilder.oid(HashAlgorithm.sha256.oid)])),
            DERBuilder.contextConstructed(1, DERBuilder.sequence([DERBuilder.oid(OID.mgf1), DERBuilder.sequence([DERBuilder.oid(HashAlgorithm.sha256.oid)])])),
            DERBuilder.contextConstructed(2, DERBuilder.integer(32)),
        ])
        return [
            ("DG13 read", f[.dataGroup(13)]!, { bytes in
                let d = try DG13(bytes)
                _ = [d.idNumber, d.fullName, d.dateOfBirth, d.sex, d.sexText, d.nationality, d.ethnicity, d.religion, d.placeOfOrigin,
                     d.placeOfResidence, d.identifyingMarks, d.dateOfIssue, d.expiryText, d.dateOfExpiry, d.fatherName, d.motherName,
                     d.spouseName, d.oldIDNumber, d.field16, d.description]
                _ = d.hasNoExpiry
                _ = d.idNumber.flatMap { try? IDNumber($0) }.map { ($0.birthYear, $0.sex, $0.checkDigit, $0.warnings, $0.provinceName) }
                _ = ConsistencyChecks.check(dg1: dg1, dg13: d, referenceYear: 2026)
            }),
            ("DG1 read", f[.dataGroup(1)]!, { bytes in
                let d = try DG1(bytes)
                _ = d.mrz.map { ($0.accessKey.mrzInformation, $0.accessKey.bacKeySeed, $0.name, $0.vietnameseIDNumber, $0.text) }
                if let m = d.mrz {
                    _ = VietnameseDate.iso(fromMRZ: m.dateOfBirth, isBirth: true, referenceYear: 2026)
                    _ = VietnameseDate.iso(fromMRZ: m.dateOfExpiry, isBirth: false, referenceYear: 2026)
                }
                _ = ConsistencyChecks.check(dg1: d, dg13: dg13, referenceYear: 2026)
            }),
            ("EF.SOD verified", f[.sod]!, { bytes in
                let sod = try SOD(bytes)
                _ = PassiveAuthentication.verify(sod: sod, files: f, trust: trust, at: date)
            }),
            ("RSA EF.SOD verified", rsaFiles[.sod]!, { bytes in
                let sod = try SOD(bytes)
                _ = PassiveAuthentication.verify(sod: sod, files: rsaFiles, trust: rsaTrust, at: date)
            }),
            ("EF.CardAccess selected", f[.cardAccess]!, { _ = try? PACE.select(from: try SecurityInfos(der: $0)) }),
            ("explicit EC EF.CardAccess selected", explicitAccess[0], { _ = try PACE.select(from: try SecurityInfos(der: $0)) }),
            ("explicit DH EF.CardAccess selected", explicitAccess[1], { _ = try PACE.select(from: try SecurityInfos(der: $0)) }),
            ("DG14 selected", f[.dataGroup(14)]!, { bytes in
                let d = try DG14(bytes)
                _ = try? PACE.select(from: d.securityInfos)
                _ = d.securityInfos.chipAuthenticationInfos.map { $0.caProtocol }
            }),
            ("DSC chained", pki.documentSignerCertificate, { bytes in
                let c = try Certificate(der: bytes)
                _ = (c.isSelfSigned, c.fingerprint, c.isValid(at: date))
                _ = PassiveAuthentication.signer(c, trust: trust, at: date)
            }),
            ("CSCA self-signed", pki.cscaCertificate, { _ = try Certificate(der: $0).isSelfSigned }),
            ("RSA DSC chained", rsaCard.pki.documentSignerCertificate, { _ = PassiveAuthentication.signer(try Certificate(der: $0), trust: rsaTrust, at: date) }),
            ("CRL signed", pki.crl, { _ = try CRL(der: $0).isSigned(by: csca) }),
            ("master list verified", try! pki.masterList(), { _ = try? MasterList(der: $0).verify(anchors: [csca], at: date) }),
            ("PSS parameters", pss, { _ = try SignatureVerifier.scheme(algorithm: OID.rsassaPSS, parameters: $0) }),
            ("TLV", f[.dataGroup(13)]!, { bytes in
                for t in try TLV.parseAll(bytes) where t.tag.isConstructed { _ = try? t.children() }
            }),
            ("DG15 key", f[.dataGroup(15)]!, { _ = try DG15($0).publicKey.key.algorithmName }),
            ("DG2 face", f[.dataGroup(2)]!, { _ = try DG2($0).face.data.count }),
            ("MRZ text", Array(card.mrzLines.joined(separator: "\n").utf8), { _ = try MRZ(String(decoding: $0, as: UTF8.self)) }),
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
        let samples = Self.samples
        FuzzBudget.run("parsers", defaultCount: 300) { rng, _ in
            for (_, bytes, parse) in samples { _ = try? parse(Mutator.mutate(bytes, &rng)) }
        }
    }

    /// Mutated files through the parsers and on into accessors and verification: a result or an
    /// error, never a trap.
    @Test func mutatedFilesThroughVerificationNeverCrash() {
        let samples = Self.deepSamples
        for (name, bytes, parse) in samples {
            #expect(throws: Never.self, "\(name)") { try parse(bytes) }
        }
        FuzzBudget.run("verification", defaultCount: 60, every: 1_000) { rng, _ in
            for (_, bytes, parse) in samples { _ = try? parse(Mutator.mutate(bytes, &rng)) }
        }
    }

    /// DG13 values and MRZ text with any Unicode: digits from other scripts, fractions, combining
    /// marks, fullwidth forms, control characters.
    @Test func unicodeTextNeverCrashes() {
        let alphabet: [String] = ["0", "1", "9", "/", "<", "A", "Z", "a", " ", "\n", "\r\n", "٠", "١", "½", "\u{301}", "０", "Ａ", "\u{0}", "ữ", "Đ", "-", "+", "\u{FEFF}", "🇻🇳"]
        FuzzBudget.run("unicode", defaultCount: 1_500) { rng, _ in
            let n = [8, 10, 12, 30, 90, Int(rng.next() % 100)][Int(rng.next() % 6)]
            let s = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            _ = try? MRZ(s)
            _ = VietnameseDate.iso(fromCard: s)
            _ = VietnameseDate.card(fromISO: s)
            _ = VietnameseDate.iso(fromMRZ: s, isBirth: rng.next() % 2 == 0, referenceYear: 2026)
            _ = try? IDNumber(s)
            _ = CheckDigit.compute(s)
            try? AccessKey.can(s).validate()
            try? AccessKey.mrz(documentNumber: s, dateOfBirth: s, dateOfExpiry: s).validate()
            if let d = try? DG13(DG13.encode([1: s, 3: s, 4: s, 11: s, 12: s, 15: s, 16: s])) {
                _ = (d.dateOfBirth, d.dateOfIssue, d.dateOfExpiry, d.hasNoExpiry, d.oldIDNumber, d.sex, d.field16)
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        let parsers = Self.samples.map(\.2) + Self.deepSamples.map(\.2)
        FuzzBudget.run("random", defaultCount: 400) { rng, _ in
            let n = Int(rng.next() % 96)
            var b = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Half the time start with a plausible outer tag so the parsers get past the first byte.
            if n > 2, rng.next() % 2 == 0 { b[0] = [0x30, 0x31, 0x60, 0x61, 0x6D, 0x75, 0x77, 0x6E, 0x6F][Int(rng.next() % 9)] }
            for p in parsers { _ = try? p(b) }
        }
    }

    @Test func mrzParserNeverCrashes() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
        FuzzBudget.run("mrz", defaultCount: 2_000) { rng, _ in
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
