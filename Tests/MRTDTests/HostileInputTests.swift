import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// Inputs that used to trap (issue 9 §2), each now a typed error or a result.
struct HostileInputTests {
    static let ecdhGM128 = OID.paceECDHGM + ".2"

    static func explicitInfo(_ curve: NamedCurve, id: Int) throws -> PACEDomainParameterInfo {
        PACEDomainParameterInfo(protocolOID: OID.paceECDHGM, domainParameters: .ec(try ECGroup(curve).parameters, named: nil), parameterID: id)
    }

    @Test func parameterIDOfIntMinRanksWithoutOverflow() throws {
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: Self.ecdhGM128, parameterID: Int.min)),
            .paceDomainParameters(try Self.explicitInfo(.brainpoolP256r1, id: Int.min)),
            .pace(PACEInfo(protocolOID: Self.ecdhGM128, parameterID: 13)),
        ])
        let parsed = try SecurityInfos(der: infos.der)
        #expect(parsed.paceInfos.map(\.parameterID).contains(Int.min))
        let s = try PACE.select(from: parsed)
        // Same cipher, agreement and size: the lower parameter ID still wins, Int.min included.
        #expect(s.info.parameterID == Int.min)
    }

    @Test func certificateVersionOfIntMaxIsMalformed() throws {
        let tbs = DERBuilder.sequence([
            DERBuilder.contextConstructed(0, DERBuilder.integer(Int.max)),
            DERBuilder.integer(1), DERBuilder.sequence([DERBuilder.oid(OID.ecdsaWithSHA256)]),
            DERBuilder.sequence([]), DERBuilder.sequence([]), DERBuilder.sequence([]), DERBuilder.sequence([]),
        ])
        let cert = DERBuilder.sequence([tbs, DERBuilder.sequence([DERBuilder.oid(OID.ecdsaWithSHA256)]), DERBuilder.bitString([1, 2])])
        #expect(throws: LDSError.self) { try Certificate(der: cert) }
        for v in [3, -1, Int.min] {
            let t = DERBuilder.sequence([DERBuilder.contextConstructed(0, DERBuilder.integer(v))])
            #expect(throws: LDSError.self) {
                try Certificate(der: DERBuilder.sequence([t, DERBuilder.sequence([DERBuilder.oid(OID.ecdsaWithSHA256)]), DERBuilder.bitString([1])]))
            }
        }
    }

    @Test(arguments: [Int(Int32.max) + 1, 1 << 40, -1, Int.min, Int.max, 4097])
    func pssSaltOutOfRangeIsATypedError(salt: Int) throws {
        let params = DERBuilder.sequence([DERBuilder.contextConstructed(2, DERBuilder.integer(salt))])
        #expect(throws: CryptoError.self) { try SignatureVerifier.scheme(algorithm: OID.rsassaPSS, parameters: params) }
        // The facade refuses the same salt on its own, whoever calls it.
        let key = RSAPublicKey(modulus: [UInt8](repeating: 0xC3, count: 256), exponent: [1, 0, 1])
        #expect(throws: CryptoError.self) {
            try key.verify(digest: [UInt8](repeating: 0, count: 32), signature: [UInt8](repeating: 1, count: 256), hash: .sha256,
                           padding: .pss(saltLength: salt, mgfHash: .sha256))
        }
    }

    @Test func pssSaltInRangeStillParses() throws {
        let params = DERBuilder.sequence([DERBuilder.contextConstructed(2, DERBuilder.integer(32))])
        #expect(try SignatureVerifier.scheme(algorithm: OID.rsassaPSS, parameters: params) == .rsaPSS(.sha1, mgf: .sha1, salt: 32))
    }

    static let td1 = ["IDVNM0990123459001099012345<<0", "9902015M2402011VNM<<<<<<<<<<<4", "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"]

    @Test(arguments: ["0\u{301}", "٠", "½", "Ａ", "9\u{20E3}"])
    func mrzWithNonASCIIIsInvalidCharacter(bad: String) throws {
        _ = try MRZ(Self.td1.joined(separator: "\n"))
        for line in 0..<3 {
            for at in [0, 5, 14, 15, 29] {
                var lines = Self.td1
                var chars = Array(lines[line])
                chars[at] = Character(bad)
                lines[line] = String(chars)
                #expect(throws: MRZError.invalidCharacter) { try MRZ(lines.joined(separator: "\n")) }
                #expect(throws: MRZError.invalidCharacter) { try MRZ(lines.joined()) }
            }
        }
        #expect(CheckDigit.compute(bad) == nil)
        #expect(CheckDigit.compute("12" + bad + "3") == nil)
    }

    @Test func checkDigitOfALongFieldDoesNotOverflow() {
        #expect(CheckDigit.compute(String(repeating: "Z", count: 100_000)) != nil)
    }

    @Test(arguments: ["٠١٢٣٤٥", "01234½", "0\u{301}12345", "+12345", "-12345", "１２３４５６"])
    func accessKeyDigitsAreASCII(bad: String) {
        #expect(throws: AccessKeyError.invalidCAN) { try AccessKey.can(bad).validate() }
        #expect(throws: AccessKeyError.invalidPIN) { try AccessKey.pin(bad).validate() }
        #expect(throws: AccessKeyError.invalidDate(field: "dateOfBirth")) {
            try AccessKey.mrz(documentNumber: "099012345", dateOfBirth: bad, dateOfExpiry: "390101").validate()
        }
        #expect(throws: AccessKeyError.invalidDocumentNumber) {
            try AccessKey.mrz(documentNumber: "09901234" + bad, dateOfBirth: "990101", dateOfExpiry: "390101").validate()
        }
    }

    @Test func asciiDigitKeysStillValidate() throws {
        try AccessKey.can("012345").validate()
        try AccessKey.pin("1234").validate()
        try AccessKey.mrz(documentNumber: "L898902C<", dateOfBirth: "690806", dateOfExpiry: "940623").validate()
    }

    @Test func outOfRangeValuesAreErrorsNotTraps() throws {
        for n in [-1, 0, 32, 300, Int.max, Int.min] {
            _ = (LDSFileID.dataGroup(n).fid, LDSFileID.dataGroup(n).sfi, LDSFileID.dataGroup(n).tag)
        }
        #expect(LDSFileID.dataGroup(13).fid == 0x010D)
        var codec = SecureMessagingCodec(keys: SMKeys(cipher: .aes128, enc: [UInt8](repeating: 1, count: 16), mac: [UInt8](repeating: 2, count: 16)))
        for ne in [0, -1, 65537, Int.max] {
            #expect(throws: SecureMessagingError.self) { _ = try codec.protect(CommandAPDU(ins: 0xB0, p1: 0, p2: 0, ne: ne), extended: true) }
        }
        #expect(throws: SecureMessagingError.self) {
            _ = try codec.protect(CommandAPDU(ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 0, count: 70_000)), extended: true)
        }
        #expect(throws: CryptoError.self) { _ = try ECPoint(uncompressed: [4], fieldSize: 0) }
        #expect(throws: CryptoError.self) { _ = try TripleDES.encryptCBC(key: [UInt8](repeating: 1, count: 16), iv: [1, 2, 3], [UInt8](repeating: 0, count: 8)) }
        #expect(throws: CryptoError.self) { _ = try ModularArithmetic.modExp([2], [3], [UInt8](repeating: 0xFF, count: 2_049)) }
    }

    @Test func certificateTimesAreASCIIDigits() throws {
        func cert(notBefore: [UInt8]) -> [UInt8] {
            let tbs = DERBuilder.sequence([
                DERBuilder.contextConstructed(0, DERBuilder.integer(2)), DERBuilder.integer(1),
                DERBuilder.sequence([DERBuilder.oid(OID.ecdsaWithSHA256)]), DERBuilder.sequence([]),
                DERBuilder.sequence([notBefore, DERBuilder.tlv(0x17, Array("300101000000Z".utf8))]), DERBuilder.sequence([]), DERBuilder.sequence([]),
            ])
            return DERBuilder.sequence([tbs, DERBuilder.sequence([DERBuilder.oid(OID.ecdsaWithSHA256)]), DERBuilder.bitString([1])])
        }
        func reason(_ notBefore: String) -> String {
            do { _ = try Certificate(der: cert(notBefore: DERBuilder.tlv(0x17, Array(notBefore.utf8)))) } catch let e as LDSError { return e.reason } catch {}
            return "parsed"
        }
        #expect(!reason("200101000000Z").contains("time"))  // a good time gets past the validity
        for bad in ["+10101000000Z", "2٠0101000000Z", "-1-1-1-1-1-1Z", "20010100000\u{301}Z", "20+1+1000000Z"] {
            #expect(reason(bad).lowercased().contains("time"), "\(bad)")
        }
    }

    @Test func oidBuilderNeverOverflows() {
        #expect(DERBuilder.oid("2.18446744073709551615") == [0x06, 0x00])
        #expect(DERBuilder.oid("2.18446744073709551535").count > 2)
    }
}

/// §6: PACE refuses weak or fake explicit domain parameters before sending anything derived
/// from the password.
struct PACEDomainParameterTests {
    @Test func aWeakExplicitCurveIsRefusedAtSelection() throws {
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: HostileInputTests.ecdhGM128, parameterID: 32)),
            .paceDomainParameters(try HostileInputTests.explicitInfo(.brainpoolP192r1, id: 32)),
        ])
        do {
            _ = try PACE.select(from: try SecurityInfos(der: infos.der))
            Issue.record("a 192-bit explicit curve was selected")
        } catch let MRTDError.unsafeDomainParameters(reason) {
            #expect(reason.contains("below 224"))
            #expect(!MRTDError.unsafeDomainParameters(reason).description.contains("\n"))
        }
    }

    @Test func aFakeStrongCurveDoesNotOutrankAStandardOne() throws {
        // A "512-bit" explicit curve whose order is not prime would win the ranking on size.
        var fake = try ECGroup(.brainpoolP512r1).parameters
        fake.order = try ModularArithmetic.add(fake.order, [1])
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: HostileInputTests.ecdhGM128, parameterID: 13)),
            .pace(PACEInfo(protocolOID: HostileInputTests.ecdhGM128, parameterID: 40)),
            .paceDomainParameters(PACEDomainParameterInfo(protocolOID: OID.paceECDHGM, domainParameters: .ec(fake, named: nil), parameterID: 40)),
        ])
        #expect(try PACE.select(from: infos).info.parameterID == 13)
    }

    @Test func aProprietaryDHGroupWithCompositeQIsRefused() throws {
        var g = DHGroup(.group2048_224)
        g.q = try ModularArithmetic.add(g.q, g.q)
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: OID.paceDHGM + ".2", parameterID: 33)),
            .paceDomainParameters(PACEDomainParameterInfo(protocolOID: OID.paceDHGM, domainParameters: .dh(g), parameterID: 33)),
        ])
        #expect(throws: MRTDError.self) { _ = try PACE.select(from: infos) }
        do { _ = try PACE.select(from: infos) } catch let MRTDError.unsafeDomainParameters(reason) {
            #expect(reason.contains("q is not prime"))
        }
    }

    @Test func soundExplicitParametersAreStillSelected() throws {
        let infos = SecurityInfos([
            .pace(PACEInfo(protocolOID: HostileInputTests.ecdhGM128, parameterID: 32)),
            .paceDomainParameters(try HostileInputTests.explicitInfo(.brainpoolP384r1, id: 32)),
        ])
        let s = try PACE.select(from: infos)
        if case .ec(let p, _) = s.domain { #expect(p.p.count == 48) } else { Issue.record("not EC") }
    }
}
