import CardSimulator
import Foundation
import MRTD
import MRTDCrypto
import Testing

/// Chain policy corner cases: link certificates, validity, PEM input, CRL refresh.
struct TrustChainTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!

    @Test func linkCertificateCarriesTrustToARenewedCSCA() throws {
        let old = try TestPKI(seed: "old CSCA")
        // A new CSCA key with the same name, vouched for by a link certificate from the old one.
        let newKey: SigningKey = .ec(try ECPrivateKey(group: try ECGroup(.brainpoolP384r1), seed: Array("new CSCA".utf8)), hash: .sha384)
        let newKeyID = CertificateBuilder.keyIdentifier(newKey.subjectPublicKeyInfo(explicitParameters: false))
        let link = try CertificateBuilder.certificate(serial: [0x10], issuer: old.cscaName, subject: old.cscaName, notBefore: "20250101", notAfter: "20400101",
                                                      subjectKey: newKey, issuerKey: old.cscaKey, issuerKeyIdentifier: old.cscaKeyIdentifier, role: .csca)
        let dscKey: SigningKey = .ec(try ECPrivateKey(group: try ECGroup(.p256), seed: Array("dsc under new".utf8)), hash: .sha256)
        let dsc = try Certificate(der: try CertificateBuilder.certificate(
            serial: [0x20], issuer: old.cscaName, subject: old.documentSignerName, notBefore: "20260101", notAfter: "20360101",
            subjectKey: dscKey, issuerKey: newKey, issuerKeyIdentifier: newKeyID, role: .documentSigner))
        var store = TrustStore()
        try store.importBytes(old.cscaCertificate, name: "old.der", at: Self.now)
        #expect(PassiveAuthentication.signer(dsc, trust: store, at: Self.now).status == .unknown)
        try store.importBytes(link, name: "link.der", at: Self.now)
        let r = PassiveAuthentication.signer(dsc, trust: store, at: Self.now)
        #expect(r.status == .trusted, "\(r.detail)")
    }

    @Test func expiredDocumentSignerIsUntrusted() throws {
        let pki = try TestPKI()
        var store = TrustStore()
        try store.importBytes(pki.cscaCertificate, name: "csca", at: Self.now)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        let later = ISO8601DateFormatter().date(from: "2036-01-01T00:00:00Z")!
        let r = PassiveAuthentication.signer(dsc, trust: store, at: later)
        #expect(r.status == .untrusted)
        #expect(r.code == .signerNotValidAtSigning)
    }

    @Test func signerNotIssuedByTheAnchorIsUntrusted() throws {
        let pki = try TestPKI()
        let impostor = try TestPKI(seed: "impostor")  // same names, different keys
        var store = TrustStore()
        try store.importBytes(impostor.cscaCertificate, name: "impostor", at: Self.now)
        let r = PassiveAuthentication.signer(try Certificate(der: pki.documentSignerCertificate), trust: store, at: Self.now)
        #expect(r.status != .trusted)
    }

    @Test func pemInputAndCRLRefresh() throws {
        let pki = try TestPKI()
        let pem = "-----BEGIN CERTIFICATE-----\n" + Data(pki.cscaCertificate).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]) + "\n-----END CERTIFICATE-----\n"
        var store = TrustStore()
        try store.importBytes(Array(pem.utf8), name: "csca.pem", at: Self.now)
        #expect(store.anchors.count == 1)
        try store.importBytes(pki.crl, name: "old.crl", at: Self.now)
        let revoking = try TestPKI(revokeDocumentSigner: true)
        try store.importBytes(revoking.crl, name: "new.crl", at: Self.now)
        #expect(store.crls.count == 1)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try store.save(to: dir)
        let loaded = try TrustStore.load(from: dir)
        #expect(loaded.anchors.map(\.der) == store.anchors.map(\.der))
        #expect(loaded.crls.count == 1)
        #expect(throws: TrustStoreError.self) { try store.importBytes([1, 2, 3], name: "junk", at: Self.now) }
    }
}
