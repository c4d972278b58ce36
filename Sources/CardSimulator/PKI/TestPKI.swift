import MRTD
import MRTDCrypto

/// A complete, deterministic test PKI for simulated cards: a CSCA, a document signer, a CRL and a
/// master-list signer — all derived from a seed, so every test run sees the same keys.
///
/// The default CSCA mirrors the real Vietnamese one: ECDSA with SHA-512 on brainpoolP512r1, its
/// certificate written with explicit domain parameters. `.rsa` gives an RSA-PSS variant.
public struct TestPKI: Sendable {
    public enum Flavor: String, Sendable, Codable { case ecBrainpool, rsa }

    public let flavor: Flavor
    public let country: String
    public let cscaName: DistinguishedName
    public let cscaKey: SigningKey
    public let cscaCertificate: [UInt8]
    public let cscaKeyIdentifier: [UInt8]
    public let documentSignerName: DistinguishedName
    public let documentSignerKey: SigningKey
    public let documentSignerSerial: [UInt8]
    public let documentSignerCertificate: [UInt8]
    /// A CRL from the CSCA; lists the document signer when built with `revokeDocumentSigner`.
    public let crl: [UInt8]
    /// The signingTime EF.SOD carries (YYYYMMDD), if any.
    public let sodSigningTime: String?

    /// The document signer's validity by default, and under the `expired-signer` fault (a DSC of
    /// 2022 that signed cards which outlive it).
    public static let documentSignerValidity = (notBefore: "20240101", notAfter: "20350101")
    public static let expiredDocumentSignerValidity = (notBefore: "20220101", notAfter: "20230701")

    /// - Parameters:
    ///   - faults: `expiredSigner` gives the DSC `expiredDocumentSignerValidity` (and EF.SOD the
    ///     signingTime 2023-01-15); `signingTime`/`noSigningTime` set or drop EF.SOD's signingTime
    ///     (default 2024-06-01); `staleCRL` makes the CRL past its nextUpdate; `revokedSigner` as
    ///     `revokeDocumentSigner`.
    public init(seed: String = "swift-cccd test PKI", flavor: Flavor = .ecBrainpool, country: String = "VN",
                revokeDocumentSigner: Bool = false, faults: CardFaults = CardFaults()) throws {
        self.flavor = flavor
        self.country = country
        let s = Array(seed.utf8)
        cscaName = DistinguishedName(country: country, organization: "Test Ministry of Public Security", commonName: "CSCA Test \(country)")
        documentSignerName = DistinguishedName(country: country, organization: "Test Ministry of Public Security", commonName: "Document Signer Test \(country) 01")
        switch flavor {
        case .ecBrainpool:
            let explicitP512 = try ECGroup(explicit: try ECGroup(.brainpoolP512r1).parameters)
            cscaKey = .ec(try ECPrivateKey(group: explicitP512, seed: s + Array("/csca".utf8)), hash: .sha512)
            documentSignerKey = .ec(try ECPrivateKey(group: try ECGroup(.brainpoolP384r1), seed: s + Array("/dsc".utf8)), hash: .sha384)
        case .rsa:
            cscaKey = .rsa(try RSAPrivateKey(bits: 2048, seed: s + Array("/csca".utf8)), hash: .sha256, padding: .pss(saltLength: 32, mgfHash: .sha256))
            documentSignerKey = .rsa(try RSAPrivateKey(bits: 2048, seed: s + Array("/dsc".utf8)), hash: .sha256, padding: .pss(saltLength: 32, mgfHash: .sha256))
        }
        let cscaSPKI = cscaKey.subjectPublicKeyInfo(explicitParameters: true)
        cscaKeyIdentifier = CertificateBuilder.keyIdentifier(cscaSPKI)
        cscaCertificate = try CertificateBuilder.certificate(
            serial: [0x01], issuer: cscaName, subject: cscaName, notBefore: "20220101", notAfter: "20370101",
            subjectKey: cscaKey, issuerKey: cscaKey, issuerKeyIdentifier: cscaKeyIdentifier, role: .csca, explicitParameters: true)
        documentSignerSerial = Array(HashAlgorithm.sha256.hash(s + Array("/dsc-serial".utf8)).prefix(8)).map { $0 & 0x7F }
        let dscValidity = faults.expiredSigner ? Self.expiredDocumentSignerValidity : Self.documentSignerValidity
        documentSignerCertificate = try CertificateBuilder.certificate(
            serial: documentSignerSerial, issuer: cscaName, subject: documentSignerName, notBefore: dscValidity.notBefore, notAfter: dscValidity.notAfter,
            subjectKey: documentSignerKey, issuerKey: cscaKey, issuerKeyIdentifier: cscaKeyIdentifier, role: .documentSigner)
        crl = try CertificateBuilder.crl(
            issuer: cscaName, issuerKey: cscaKey, issuerKeyIdentifier: cscaKeyIdentifier,
            thisUpdate: faults.staleCRL ? "20240101" : "20260101", nextUpdate: faults.staleCRL ? "20250101" : "20360101",
            revoked: revokeDocumentSigner || faults.revokedSigner ? [documentSignerSerial] : [], revocationDate: "20240101")
        sodSigningTime = faults.noSigningTime ? nil : faults.signingTime ?? (faults.expiredSigner ? "20230115" : "20240601")
    }

    /// A CSCA master list holding this PKI's CSCA certificate (and `extra` ones), signed by a
    /// master-list signer the CSCA issued. `corruptSignature` flips a bit of the CMS signature;
    /// without `includeOwnCSCA` the list holds only `extra`, so its signer chains to nothing inside it.
    public func masterList(extra: [[UInt8]] = [], corruptSignature: Bool = false, includeOwnCSCA: Bool = true) throws -> [UInt8] {
        let signerName = DistinguishedName(country: country, organization: "Test Ministry of Public Security", commonName: "Master List Signer Test \(country)")
        let signerKey: SigningKey = .ec(try ECPrivateKey(group: try ECGroup(.brainpoolP256r1), seed: Array("\(cscaName.der)/mls".utf8)), hash: .sha256)
        let serial: [UInt8] = [0x4D, 0x4C, 0x01]
        let signerCert = try CertificateBuilder.certificate(
            serial: serial, issuer: cscaName, subject: signerName, notBefore: "20240101", notAfter: "20350101",
            subjectKey: signerKey, issuerKey: cscaKey, issuerKeyIdentifier: cscaKeyIdentifier, role: .masterListSigner)
        let content = DERBuilder.sequence([DERBuilder.integer(0), DERBuilder.set((includeOwnCSCA ? [cscaCertificate] : []) + extra)])
        var ml = try CertificateBuilder.signedData(contentType: OID.cscaMasterList, content: content, signer: signerKey,
                                                   signerCertificate: signerCert, issuer: cscaName, serial: serial)
        if corruptSignature { ml[ml.count - 1] ^= 0x01 }
        return ml
    }

    /// Signs an LDSSecurityObject into EF.SOD (tag 77 around the ContentInfo).
    /// `options` default to this PKI's signing time and well-formed signed attributes.
    public func signSOD(_ securityObject: [UInt8], options: CertificateBuilder.SignerInfoOptions? = nil, signer: SigningKey? = nil) throws -> [UInt8] {
        let ci = try CertificateBuilder.signedData(
            contentType: OID.ldsSecurityObject, content: securityObject, signer: signer ?? documentSignerKey,
            signerCertificate: documentSignerCertificate, issuer: cscaName, serial: documentSignerSerial,
            options: options ?? CertificateBuilder.SignerInfoOptions(signingTime: sodSigningTime))
        return DERBuilder.tlv(0x77, ci)
    }
}
