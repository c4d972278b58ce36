import MRTDCrypto
import Testing

struct SignatureTests {
    @Test func ecdsaOnExplicitBrainpoolP512r1WithSHA512() throws {
        let named = try ECGroup(.brainpoolP512r1)
        let explicit = try ECGroup(explicit: named.parameters)
        let key = try ECPrivateKey(group: explicit, seed: Array("csca".utf8))
        #expect(try ECPrivateKey(group: explicit, seed: Array("csca".utf8)).scalar == key.scalar)
        let digest = HashAlgorithm.sha512.hash(Array("tbs".utf8))
        let der = try key.sign(digest: digest)
        #expect(try ECDSASignature.verify(digest: digest, signature: der, publicKey: key.publicKey, group: explicit))
        let plain = try ECDSASignature.derToPlain(der, width: 64)
        #expect(plain.count == 128)
        #expect(try ECDSASignature.verify(digest: digest, signature: plain, publicKey: key.publicKey, group: explicit))
        #expect(try ECDSASignature.plainToDER(plain, width: 64) == der)
        var bad = digest
        bad[0] ^= 1
        #expect(try !ECDSASignature.verify(digest: bad, signature: der, publicKey: key.publicKey, group: explicit))
        #expect(try !ECDSASignature.verify(digest: digest, signature: [0x30, 0x00], publicKey: key.publicKey, group: explicit))
    }

    @Test(arguments: [20, 32, 64])
    func rsaPSSWithAnySalt(salt: Int) throws {
        let key = try RSAPrivateKey(bits: 1024, seed: Array("dsc".utf8))
        let digest = HashAlgorithm.sha256.hash(Array("message".utf8))
        let sig = try key.sign(digest: digest, hash: .sha256, padding: .pss(saltLength: salt, mgfHash: .sha256))
        #expect(try key.publicKey.verify(digest: digest, signature: sig, hash: .sha256, padding: .pss(saltLength: salt, mgfHash: .sha256)))
        #expect(try !key.publicKey.verify(digest: digest, signature: sig, hash: .sha256, padding: .pss(saltLength: salt == 20 ? 32 : 20, mgfHash: .sha256)))
    }

    @Test func rsaPKCS1AndRawOperations() throws {
        let key = try RSAPrivateKey(bits: 1024, seed: Array("aa".utf8))
        #expect(key.publicKey.bitLength == 1024)
        #expect(try RSAPrivateKey(bits: 1024, seed: Array("aa".utf8)).publicKey == key.publicKey)
        let digest = HashAlgorithm.sha1.hash(Array("m".utf8))
        let sig = try key.sign(digest: digest, hash: .sha1, padding: .pkcs1v15)
        #expect(try key.publicKey.verify(digest: digest, signature: sig, hash: .sha1, padding: .pkcs1v15))
        #expect(try !key.publicKey.verify(digest: digest, signature: sig, hash: .sha256, padding: .pkcs1v15))
        let m = [UInt8](repeating: 0x6A, count: 127) + [0xBC]
        #expect(try key.publicKey.rawPublic(key.rawPrivate(m)) == m)
    }
}
