import ISO7816
import MRTD
import MRTDCrypto
import Testing

/// Active Authentication signature checks, independent of any chip.
struct ActiveAuthenticationTests {
    static let key = try! RSAPrivateKey(bits: 1024, seed: Array("aa-test".utf8))
    static let dg15 = try! DG15(DG15.encode(SubjectPublicKeyInfo.encode(.rsa(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent))))
    static let challenge = h("0011223344556677")

    /// Builds an ISO/IEC 9796-2 scheme 1 signature by hand: 6A ‖ M1 ‖ H(M1 ‖ challenge) ‖ trailer.
    static func sign(hash: HashAlgorithm, trailer: [UInt8], m1Byte: UInt8 = 0x5A, complement: Bool = false) throws -> [UInt8] {
        let k = key.publicKey.modulus.count
        let m1 = [UInt8](repeating: m1Byte, count: k - hash.outputLength - trailer.count - 1)
        let f = [0x6A] + m1 + hash.hash(m1 + challenge) + trailer
        let s = try key.rawPrivate(f)
        return complement ? try ModularArithmetic.subtract(key.publicKey.modulus, s) : s
    }

    /// ICAO 9303-11 Active Authentication worked example: the message representative F for
    /// RND.IFD F173589974BF40C6. The example gives no key, so F is signed with a test key and the
    /// verifier must recover exactly the example's M1 and digest.
    @Test func icaoWorkedExample() throws {
        let m1 = h("9D2784A67F8E7C659973EA1AEA25D95B6C8F91E5002F369F0FBDCE8A3CEC1991B543F1696546C5524CF23A5303CD6C98599F40B79F377B5F3A1406B3B4D8F96784D23AA88DB7E1032A405E69325FA91A6E86F5C71AEA978264C4A207446DAD4E7292E2DCDA3024B47DA8")
        let rnd = h("F173589974BF40C6")
        #expect(HashAlgorithm.sha1.hash(m1 + rnd) == h("C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127"))
        let f = [0x6A] + m1 + h("C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127") + [0xBC]
        #expect(f.count == 128)
        let s = try Self.key.rawPrivate(f)
        #expect(try Self.key.publicKey.rawPublic(s) == f)
        #expect(ActiveAuthentication.verify(signature: s, challenge: rnd, dg15: Self.dg15, dg14: nil).status == .passed)
        #expect(ActiveAuthentication.verify(signature: s, challenge: h("F173589974BF40C7"), dg15: Self.dg15, dg14: nil).status == .failed)
    }

    @Test func iso9796SchemeOneWithSHA1Trailer() throws {
        let s = try Self.sign(hash: .sha1, trailer: [0xBC])
        let r = ActiveAuthentication.verify(signature: s, challenge: Self.challenge, dg15: Self.dg15, dg14: nil)
        #expect(r.status == .passed)
        #expect(r.algorithm == "RSA ISO/IEC 9796-2 scheme 1, SHA-1")
        // The recovered message representative is exactly the one signed.
        let m = try Self.key.publicKey.rawPublic(s)
        #expect(m.first == 0x6A && m.last == 0xBC)
    }

    @Test(arguments: [(HashAlgorithm.sha224, UInt8(0x38)), (.sha256, 0x34), (.sha384, 0x36), (.sha512, 0x35), (.sha1, 0x33)])
    func iso9796TwoByteTrailers(hash: HashAlgorithm, id: UInt8) throws {
        let s = try Self.sign(hash: hash, trailer: [id, 0xCC])
        #expect(ActiveAuthentication.verify(signature: s, challenge: Self.challenge, dg15: Self.dg15, dg14: nil).status == .passed)
    }

    @Test func complementedSignatureIsAccepted() throws {
        let s = try Self.sign(hash: .sha1, trailer: [0xBC], complement: true)
        #expect(ActiveAuthentication.verify(signature: s, challenge: Self.challenge, dg15: Self.dg15, dg14: nil).status == .passed)
    }

    @Test func wrongChallengeOrTamperedSignatureFails() throws {
        let s = try Self.sign(hash: .sha1, trailer: [0xBC])
        #expect(ActiveAuthentication.verify(signature: s, challenge: h("0011223344556678"), dg15: Self.dg15, dg14: nil).status == .failed)
        var t = s
        t[10] ^= 1
        #expect(ActiveAuthentication.verify(signature: t, challenge: Self.challenge, dg15: Self.dg15, dg14: nil).status == .failed)
        #expect(ActiveAuthentication.verify(signature: [1, 2, 3], challenge: Self.challenge, dg15: Self.dg15, dg14: nil).status == .failed)
        #expect(ActiveAuthentication.verify(signature: Self.key.publicKey.modulus, challenge: Self.challenge, dg15: Self.dg15, dg14: nil).status == .failed)
    }

    @Test func ecdsaInPlainAndDEREncodings() throws {
        let group = try ECGroup(.brainpoolP256r1)
        let k = try ECPrivateKey(group: group, seed: Array("aa-ec".utf8))
        let dg15 = try DG15(DG15.encode(SubjectPublicKeyInfo.encode(.ec(.ec(group.parameters, named: .brainpoolP256r1), point: k.publicKey.uncompressed))))
        let dg14 = try DG14(DG14.encode(SecurityInfos([.activeAuthentication(ActiveAuthenticationInfo(signatureAlgorithm: OID.ecdsaPlainSHA256))])))
        let digest = HashAlgorithm.sha256.hash(Self.challenge)
        let der = try k.sign(digest: digest)
        let plain = try k.signPlain(digest: digest)
        #expect(plain.count == 64)
        for sig in [der, plain] {
            let r = ActiveAuthentication.verify(signature: sig, challenge: Self.challenge, dg15: dg15, dg14: dg14)
            #expect(r.status == .passed)
            #expect(r.algorithm == "ECDSA with SHA-256")
        }
        var bad = plain
        bad[5] ^= 1
        #expect(ActiveAuthentication.verify(signature: bad, challenge: Self.challenge, dg15: dg15, dg14: dg14).status == .failed)
    }
}
