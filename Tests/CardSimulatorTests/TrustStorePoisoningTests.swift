import CardSimulator
import Foundation
import MRTD
import MRTDCrypto
import Testing

/// Issue 9 §5: nothing enters the trust store unchecked.
struct TrustStorePoisoningTests {
    static let now = VerificationTests.now

    static func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cccd-trust-\(UUID().uuidString)")
    }

    static func write(_ files: [String: [UInt8]]) throws -> URL {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    // MARK: CRLs

    @Test func crlNotSignedByATrustedCSCAIsRefused() throws {
        let pki = try TestPKI()
        let impostor = try TestPKI(seed: "impostor", revokeDocumentSigner: true)  // same names, other keys
        var store = TrustStore()
        #expect(throws: TrustStoreError.unverifiedCRL("alone.crl", try CRL(der: pki.crl).issuer)) {
            try store.importBytes(pki.crl, name: "alone.crl", at: Self.now)
        }
        try store.importBytes(pki.cscaCertificate, name: "csca.der", at: Self.now)
        #expect(throws: TrustStoreError.self) { try store.importBytes(impostor.crl, name: "forged.crl", at: Self.now) }
        #expect(store.crls.isEmpty)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        #expect(PassiveAuthentication.signer(dsc, trust: store, at: Self.now).code == .signerTrusted)
        // A store built programmatically drops unverified CRLs as well.
        let given = TrustStore(anchors: store.anchors, crls: [try CRL(der: impostor.crl)])
        #expect(given.crls.isEmpty)
    }

    @Test func newerForgedCRLDoesNotReplaceTheVerifiedOne() throws {
        let pki = try TestPKI()
        let impostor = try TestPKI(seed: "impostor")
        var store = try VerificationTests.trust(pki)
        let forged = try CertificateBuilder.crl(issuer: pki.cscaName, issuerKey: impostor.cscaKey, issuerKeyIdentifier: pki.cscaKeyIdentifier,
                                                thisUpdate: "20261101", nextUpdate: "20361101", revoked: [], revocationDate: "20261101")
        #expect(throws: TrustStoreError.self) { try store.importBytes(forged, name: "forged.crl", at: Self.now) }
        #expect(store.crls.map(\.der) == [pki.crl])
        // A genuine newer CRL does replace it.
        let newer = try CertificateBuilder.crl(issuer: pki.cscaName, issuerKey: pki.cscaKey, issuerKeyIdentifier: pki.cscaKeyIdentifier,
                                               thisUpdate: "20261101", nextUpdate: "20361101", revoked: [pki.documentSignerSerial], revocationDate: "20261101")
        try store.importBytes(newer, name: "newer.crl", at: Self.now)
        #expect(store.crls.map(\.der) == [newer])
        #expect(PassiveAuthentication.signer(try Certificate(der: pki.documentSignerCertificate), trust: store, at: Self.now).code == .signerRevoked)
    }

    @Test func crlAndItsCSCAInOneImportInAnyOrder() throws {
        let pki = try TestPKI()
        let dir = try Self.write(["a.crl": pki.crl, "z-csca.der": pki.cscaCertificate])
        var store = TrustStore()
        try store.importPaths([dir.appendingPathComponent("a.crl").path, dir.appendingPathComponent("z-csca.der").path], at: Self.now)
        #expect(store.crls.count == 1)
        var fromDir = TrustStore()
        try fromDir.importPath(dir.path, at: Self.now)
        #expect(fromDir.crls.count == 1)
    }

    @Test func crlUnderARenewedKeyCoversSignersOfTheOldKey() throws {
        let old = try TestPKI()
        let newKey: SigningKey = .ec(try ECPrivateKey(group: try ECGroup(.brainpoolP384r1), seed: Array("renewed CSCA".utf8)), hash: .sha384)
        let newKeyID = CertificateBuilder.keyIdentifier(newKey.subjectPublicKeyInfo(explicitParameters: false))
        let link = try CertificateBuilder.certificate(serial: [0x10], issuer: old.cscaName, subject: old.cscaName, notBefore: "20250101", notAfter: "20400101",
                                                      subjectKey: newKey, issuerKey: old.cscaKey, issuerKeyIdentifier: old.cscaKeyIdentifier, role: .csca)
        let crl = try CertificateBuilder.crl(issuer: old.cscaName, issuerKey: newKey, issuerKeyIdentifier: newKeyID, thisUpdate: "20261001",
                                             nextUpdate: "20361001", revoked: [old.documentSignerSerial], revocationDate: "20261001")
        var store = TrustStore()
        try store.importBytes(old.cscaCertificate, name: "old.der", at: Self.now)
        // Without the link certificate nothing vouches for the new key.
        #expect(throws: TrustStoreError.self) { try store.importBytes(crl, name: "new.crl", at: Self.now) }
        try store.importBytes(link, name: "link.der", at: Self.now)
        try store.importBytes(crl, name: "new.crl", at: Self.now)
        let dsc = try Certificate(der: old.documentSignerCertificate)  // issued under the old key
        let r = PassiveAuthentication.signer(dsc, trust: store, at: Self.now)
        #expect(r.status == .untrusted)
        #expect(r.code == .signerRevoked)
    }

    @Test func staleOrMissingCRLIsAWarning() throws {
        var f = CardFaults()
        f.staleCRL = true
        let pki = try TestPKI(faults: f)
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        let stale = try VerificationTests.trust(pki)
        let r = PassiveAuthentication.signer(dsc, trust: stale, at: Self.now)
        #expect(r.code == .signerTrusted)
        #expect(r.warnings.map(\.code) == [.crlStale])
        var bare = TrustStore()
        try bare.importBytes(pki.cscaCertificate, name: "csca.der", at: Self.now)
        let m = PassiveAuthentication.signer(dsc, trust: bare, at: Self.now)
        #expect(m.code == .signerTrusted)
        #expect(m.warnings.map(\.code) == [.crlMissing])
    }

    @Test func revokedSignerCarriesItsCode() async throws {
        var f = CardFaults()
        f.revokedSigner = true
        let r = try await VerificationTests.read(f)
        #expect(r.verification.signer.code == .signerRevoked)
        #expect(r.verdict == .rejected)
    }

    // MARK: Master lists

    @Test func selfCertifiedListNeedsTheOperatorsConfirmation() throws {
        let pki = try TestPKI()
        let ml = try pki.masterList()
        let csca = try Certificate(der: pki.cscaCertificate)
        var store = TrustStore()
        #expect(throws: TrustStoreError.unconfirmedMasterList("vn.ml", subject: csca.subject, fingerprint: csca.fingerprint)) {
            try store.importBytes(ml, name: "vn.ml", at: Self.now)
        }
        #expect(store.anchors.isEmpty)
        // Another fingerprint: the first digit changed (a fixed "00" prefix matched 1 key in 256).
        store.acceptedListCSCAs = [(csca.fingerprint.hasPrefix("0") ? "1" : "0") + csca.fingerprint.dropFirst()]
        #expect(throws: TrustStoreError.self) { try store.importBytes(ml, name: "vn.ml", at: Self.now) }
        store.acceptedListCSCAs = [csca.fingerprint]
        try store.importBytes(ml, name: "vn.ml", at: Self.now)
        #expect(store.anchors.map(\.der) == [pki.cscaCertificate])
        #expect(store.log.contains { $0.contains(csca.fingerprint) })
        var oneShot = TrustStore(acceptSelfCertifiedLists: true)
        try oneShot.importBytes(ml, name: "vn.ml", at: Self.now)
        #expect(oneShot.anchors.count == 1)
    }

    @Test func listSignedUnderATrustedCSCANeedsNoConfirmation() throws {
        let pki = try TestPKI()
        let other = try TestPKI(seed: "other country", country: "LA")
        var store = TrustStore()
        try store.importBytes(pki.cscaCertificate, name: "csca.der", at: Self.now)
        try store.importBytes(try pki.masterList(extra: [other.cscaCertificate]), name: "vn.ml", at: Self.now)
        #expect(store.anchors.count == 2)
    }

    @Test func listWhoseSignerChainsToNothingIsRefused() throws {
        let pki = try TestPKI()
        let other = try TestPKI(seed: "other country", country: "LA")
        var store = TrustStore(acceptSelfCertifiedLists: true)
        let ml = try pki.masterList(extra: [other.cscaCertificate], includeOwnCSCA: false)
        #expect(throws: TrustStoreError.self) { try store.importBytes(ml, name: "orphan.ml", at: Self.now) }
        #expect(store.anchors.isEmpty)
        #expect(throws: TrustStoreError.self) { try store.importBytes(try pki.masterList(corruptSignature: true), name: "bad.ml", at: Self.now) }
        #expect(store.anchors.isEmpty)
    }

    // MARK: Bare certificates

    @Test func onlyCACertificatesBecomeAnchors() throws {
        let pki = try TestPKI()
        let csca = try Certificate(der: pki.cscaCertificate)
        #expect(csca.isCA == true)
        #expect(csca.keyUsage?.contains(5) == true)
        #expect(TrustStore.isCACertificate(csca))
        let dsc = try Certificate(der: pki.documentSignerCertificate)
        var store = TrustStore()
        #expect(throws: TrustStoreError.notACACertificate("dsc.der", dsc.subject)) { try store.importBytes(pki.documentSignerCertificate, name: "dsc.der", at: Self.now) }
        let added = store.add(dsc)
        #expect(!added)
        #expect(store.anchors.isEmpty)
        try store.importBytes(pki.cscaCertificate, name: "csca.der", at: Self.now)
        #expect(store.log == ["csca.der: new anchor \(csca.subject), SHA-256 \(csca.fingerprint)"])
        let rsa = try TestPKI(flavor: .rsa)
        #expect(TrustStore.isCACertificate(try Certificate(der: rsa.cscaCertificate)))
    }

    // MARK: The store directory

    @Test func unparsableFileInTheStoreIsSkippedAndReported() throws {
        let pki = try TestPKI()
        let dir = try Self.write(["notes.txt": Array("not a certificate".utf8)])
        try VerificationTests.trust(pki).save(to: dir)
        let loaded = try TrustStore.load(from: dir, at: Self.now)
        #expect(loaded.anchors.map(\.der) == [pki.cscaCertificate])
        #expect(loaded.crls.count == 1)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.hasPrefix("notes.txt:") == true)
    }

    @Test func storeDirectoryIsCheckedLikeAnImport() throws {
        let pki = try TestPKI()
        let impostor = try TestPKI(seed: "impostor")
        // Dropped into the directory by hand: a forged CRL, a DSC and a self-certified list of another PKI.
        let dir = try Self.write(["forged.crl": impostor.crl, "dsc.der": pki.documentSignerCertificate,
                                  "other.ml": try TestPKI(seed: "other country", country: "LA").masterList()])
        try Data(pki.cscaCertificate).write(to: dir.appendingPathComponent("csca.der"))
        let loaded = try TrustStore.load(from: dir, at: Self.now)
        #expect(loaded.anchors.map(\.der) == [pki.cscaCertificate])
        #expect(loaded.crls.isEmpty)
        #expect(loaded.warnings.count == 3, "\(loaded.warnings)")
    }

    @Test func saveNeverDeletesFilesItDidNotWrite() throws {
        let pki = try TestPKI()
        let other = try TestPKI(seed: "other country", country: "LA")
        let foreign = ["mine.der": pki.documentSignerCertificate, "csca-0123456789abcdef.der": other.cscaCertificate, "README": Array("hi".utf8)]
        let dir = try Self.write(foreign)
        var store = TrustStore()
        try store.importBytes(pki.cscaCertificate, name: "csca.der", at: Self.now)
        try store.save(to: dir)
        try TrustStore().save(to: dir)  // the store emptied: only what save wrote goes
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == Set(foreign.keys).union([".cccd-trust-manifest"]))
    }
}
