import CardSimulator
import Foundation
import MRTD
import MRTDCrypto
import Testing

/// The signature cache may only ever save work: a hit is a check that passed before on exactly
/// the same bytes and key, and anything else verifies afresh.
struct SignatureCheckCacheTests {
    @Test func aRememberedSuccessNeedsTheSameBytesAndKey() throws {
        let pki = try TestPKI()
        let csca = try Certificate(der: pki.cscaCertificate)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        let cache = SignatureCheckCache(capacity: 8)
        func check(_ signature: [UInt8], _ message: [UInt8] = dsc.tbsDER, signer: SubjectPublicKeyInfo = csca.publicKeyInfo) -> Bool {
            cache.verifies(message: message, signature: signature, algorithm: dsc.signatureAlgorithm,
                           parameters: dsc.signatureAlgorithmParameters, signer: signer)
        }
        #expect(check(dsc.signature))
        #expect(cache.count == 1)
        #expect(check(dsc.signature), "a hit")
        #expect(cache.count == 1)

        var tamperedSignature = dsc.signature
        tamperedSignature[tamperedSignature.count / 2] ^= 0x01
        #expect(!check(tamperedSignature))
        var tamperedMessage = dsc.tbsDER
        tamperedMessage[tamperedMessage.count - 1] ^= 0x01
        #expect(!check(dsc.signature, tamperedMessage))
        let impostor = try Certificate(der: try TestPKI(seed: "impostor").cscaCertificate)
        #expect(!check(dsc.signature, signer: impostor.publicKeyInfo))
        #expect(cache.count == 1, "failures are never remembered")
    }

    @Test func aFullCacheStartsOverAndStillAnswersCorrectly() throws {
        let pki = try TestPKI()
        let csca = try Certificate(der: pki.cscaCertificate)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        let crl = try CRL(der: pki.crl)
        let cache = SignatureCheckCache(capacity: 1)
        #expect(cache.verifies(message: dsc.tbsDER, signature: dsc.signature, algorithm: dsc.signatureAlgorithm,
                               parameters: dsc.signatureAlgorithmParameters, signer: csca.publicKeyInfo))
        #expect(cache.verifies(message: crl.tbsDER, signature: crl.signature, algorithm: crl.signatureAlgorithm,
                               parameters: crl.signatureAlgorithmParameters, signer: csca.publicKeyInfo))
        #expect(cache.count == 1)
        #expect(cache.verifies(message: dsc.tbsDER, signature: dsc.signature, algorithm: dsc.signatureAlgorithm,
                               parameters: dsc.signatureAlgorithmParameters, signer: csca.publicKeyInfo))
    }

    /// The revocation verdict does not come from the cache: a revoked signer stays revoked after
    /// the same chain verified for a good card.
    @Test func revocationIsJudgedOnEveryRead() throws {
        let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!
        let good = try TestPKI()
        var store = TrustStore()
        try store.importBytes(good.cscaCertificate, name: "csca", at: now)
        try store.importBytes(good.crl, name: "crl", at: now)
        let dsc = try Certificate(der: good.documentSignerCertificate)
        #expect(PassiveAuthentication.signer(dsc, trust: store, at: now).status == .trusted)
        try store.importBytes(try TestPKI(revokeDocumentSigner: true).crl, name: "newer.crl", at: now)
        let r = PassiveAuthentication.signer(dsc, trust: store, at: now)
        #expect(r.status == .untrusted)
        #expect(r.code == .signerRevoked)
    }
}
