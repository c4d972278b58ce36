import Foundation
import ISO7816
import MRTDCrypto

/// Passive Authentication (ICAO 9303-11 §5.1) and the document-signer chain (9303-12).
///
/// Chain policy: the document signer certificate must verify under a CSCA certificate whose
/// subject is the DSC's issuer (and whose subject key identifier matches the DSC's authority key
/// identifier when both are present); the CSCA is a trust anchor, or a link certificate that
/// itself verifies under a self-signed trust anchor. The DSC must be valid at verification time
/// (its validity covers the documents it signed, 9303-12 §7.1) and carry digitalSignature if it
/// has a keyUsage; the CSCA must have been valid when the DSC was issued and carry keyCertSign if
/// it has a keyUsage. A CRL from that CSCA, verified with the CSCA's key, revokes by serial.
public enum PassiveAuthentication {
    /// Whether a certificate is the one a SignerInfo names.
    public static func matches(_ c: Certificate, _ id: CMSSignedData.SignerInfo.Identifier) -> Bool {
        switch id {
        case let .issuerAndSerialNumber(issuer, serial): return c.issuerDER == issuer && c.serialNumber == serial
        case let .subjectKeyIdentifier(ski): return c.subjectKeyIdentifier == ski
        }
    }

    /// Checks a SignerInfo's attributes and signature over the SignedData content.
    public static func verifySignedData(_ sd: CMSSignedData, signerInfo si: CMSSignedData.SignerInfo, certificate: Certificate) -> (ok: Bool, code: CheckCode, detail: String, algorithm: String?) {
        guard let digestAlg = HashAlgorithm(oid: si.digestAlgorithm) else { return (false, .algorithmNotAllowed, "unknown digest algorithm \(si.digestAlgorithm)", nil) }
        let signedBytes: [UInt8]
        if let attrs = si.signedAttributesDER {
            guard si.contentType == sd.contentType else { return (false, .sodSignedAttributesInvalid, "signed contentType attribute does not match the content", nil) }
            guard let md = si.messageDigest else { return (false, .sodSignedAttributesInvalid, "signed attributes lack messageDigest", nil) }
            guard md == digestAlg.hash(sd.content) else { return (false, .sodSignatureInvalid, "messageDigest does not match the signed content", nil) }
            signedBytes = attrs
        } else {
            signedBytes = sd.content
        }
        let scheme: SignatureVerifier.Scheme
        do {
            scheme = try SignatureVerifier.scheme(algorithm: si.signatureAlgorithm, parameters: si.signatureAlgorithmParameters, digestAlgorithm: si.digestAlgorithm)
        } catch {
            return (false, .algorithmNotAllowed, "\(error)", nil)
        }
        let name = SignatureVerifier.describe(scheme)
        do {
            guard try SignatureVerifier.verify(message: signedBytes, signature: si.signature, scheme: scheme, key: certificate.publicKeyInfo.key) else {
                return (false, .sodSignatureInvalid, "signature (\(name)) does not verify", name)
            }
        } catch {
            return (false, .sodSignatureInvalid, "signature (\(name)) cannot be checked: \(error)", name)
        }
        return (true, .sodVerified, "signature (\(name)) verifies", name)
    }

    /// Data groups that may be listed in EF.SOD and still not be read: DG3 and DG4 sit behind
    /// Terminal Authentication (EAC), which a reader without a terminal certificate cannot pass.
    public static let terminalAuthenticationDataGroups: Set<Int> = [3, 4]

    /// Verifies EF.SOD against the files read and the signer against the trust store.
    ///
    /// - Parameters:
    ///   - unavailable: data groups the card did not serve, with the reason. A data group EF.SOD lists
    ///     that the card does not serve fails (a clone that copied EF.SOD cannot answer for DG14/DG15),
    ///     except the Terminal Authentication groups.
    ///   - mustBeSigned: data groups EF.SOD must cover whatever the card serves (DG13 on a Vietnamese card:
    ///     unsigned personal data is not data).
    ///   - documentIssuedAt: when the document was issued, if known from the data groups: the signer is
    ///     judged at EF.SOD's signingTime, else at this date.
    public static func verify(sod: SOD, files: [LDSFileID: [UInt8]], unavailable: [Int: String] = [:], mustBeSigned: Set<Int> = [],
                              trust: TrustStore, at date: Date = Date(), documentIssuedAt: Date? = nil)
        -> (PassiveAuthenticationResult, SignerResult, Certificate?) {
        let so = sod.securityObject
        var groups = [String: DataGroupMatch]()
        var matched = [Int]()
        var problems = [(CheckCode, String)]()
        let hash = so.hashAlgorithm
        if hash == nil { problems.append((.algorithmNotAllowed, "unknown hash algorithm \(so.hashAlgorithmOID)")) }
        for (n, expected) in so.dataGroupHashes.sorted(by: { $0.key < $1.key }) {
            guard let bytes = files[.dataGroup(n)] else {
                groups["DG\(n)"] = .notRead
                if !terminalAuthenticationDataGroups.contains(n) {
                    let why = unavailable[n].map { " (\($0))" } ?? ""
                    problems.append((.dataGroupMissing, "DG\(n) is listed in EF.SOD but the card does not serve it\(why)"))
                }
                continue
            }
            if let hash, hash.hash(bytes) == expected {
                groups["DG\(n)"] = .match
                matched.append(n)
            } else {
                groups["DG\(n)"] = .mismatch
                problems.append((.dataGroupHashMismatch, "DG\(n) hash differs from EF.SOD"))
            }
        }
        let readGroups = files.keys.compactMap { id -> Int? in if case .dataGroup(let n) = id { return n } else { return nil } }
        for n in readGroups.sorted() where so.dataGroupHashes[n] == nil {
            groups["DG\(n)"] = .mismatch
            problems.append((.dataGroupNotSigned, "DG\(n) was read but EF.SOD does not list it"))
        }
        for n in mustBeSigned.sorted() where so.dataGroupHashes[n] == nil && files[.dataGroup(n)] == nil {
            problems.append((.dataGroupNotSigned, "EF.SOD does not cover DG\(n), which this card must sign"))
        }

        // Signature.
        var signatureOK = false
        var algorithm: String?
        var dsc: Certificate?
        if let si = sod.signedData.signerInfos.first {
            let embedded = sod.signedData.certificates.compactMap { try? Certificate(der: $0) }
            dsc = embedded.first { matches($0, si.signerIdentifier) } ?? trust.anchors.first { matches($0, si.signerIdentifier) }
            if let dsc {
                let r = verifySignedData(sod.signedData, signerInfo: si, certificate: dsc)
                signatureOK = r.ok
                algorithm = r.algorithm
                if !r.ok { problems.insert((r.code, r.detail), at: 0) }
            } else {
                problems.insert((.signerCertificateMissing, "no document signer certificate for the SOD signature"), at: 0)
            }
        } else {
            problems.insert((.sodSignatureInvalid, "EF.SOD has no SignerInfo"), at: 0)
        }
        let passed = problems.isEmpty && signatureOK
        let pa = PassiveAuthenticationResult(
            status: passed ? .passed : .failed,
            code: problems.first?.0 ?? .sodVerified,
            detail: passed ? "EF.SOD signature verifies (\(algorithm ?? "?")); \(matched.count) data group hashes match"
                : problems.map(\.1).joined(separator: "; "),
            dataGroups: groups, hashAlgorithm: hash?.rawValue, signatureAlgorithm: algorithm,
            verifiedDataGroups: signatureOK ? matched : [])
        return (pa, signer(dsc, trust: trust, at: date), dsc)
    }

    /// The chain check for a document signer certificate.
    public static func signer(_ dsc: Certificate?, trust: TrustStore, at date: Date) -> SignerResult {
        guard let dsc else {
            return SignerResult(status: .unknown, code: .signerCertificateMissing, detail: "no document signer certificate")
        }
        func result(_ s: SignerStatus, _ c: CheckCode, _ d: String) -> SignerResult {
            SignerResult(status: s, code: c, detail: d, subject: dsc.subject, issuer: dsc.issuer, serialNumber: dsc.serialNumber.hex)
        }
        let candidates = issuers(of: dsc, in: trust)
        guard !candidates.isEmpty else { return result(.unknown, .signerUnknown, "no trust anchor for issuer \(dsc.issuer)") }
        guard let csca = candidates.first(where: { verifies(dsc, under: $0) }) else {
            return result(.untrusted, .signerSignatureInvalid, "document signer certificate signature does not verify under \(dsc.issuer)")
        }
        if !csca.isSelfSigned {
            // A link certificate: it must itself chain to a self-signed anchor.
            guard issuers(of: csca, in: trust).contains(where: { $0.isSelfSigned && verifies(csca, under: $0) }) else {
                return result(.untrusted, .signerSignatureInvalid, "link certificate \(csca.subject) does not chain to a self-signed CSCA")
            }
        }
        guard dsc.isValid(at: date) else { return result(.untrusted, .signerNotValidAtSigning, "document signer certificate is not valid on \(day(date))") }
        guard csca.isValid(at: dsc.notBefore) else { return result(.untrusted, .signerNotValidAtSigning, "CSCA was not valid when the document signer was issued") }
        if let ku = dsc.keyUsage, !ku.contains(0) { return result(.untrusted, .keyUsageInvalid, "document signer certificate lacks digitalSignature key usage") }
        if let ku = csca.keyUsage, !ku.contains(5) { return result(.untrusted, .keyUsageInvalid, "CSCA certificate lacks keyCertSign key usage") }
        let crls = trust.crls.filter { $0.issuerDER == csca.subjectDER && $0.isSigned(by: csca) }
        if crls.contains(where: { $0.revokedSerials.contains(dsc.serialNumber) }) {
            return result(.untrusted, .signerRevoked, "document signer certificate is revoked by the CSCA's CRL")
        }
        let crlNote = crls.isEmpty ? "; no CRL from this CSCA in the trust store" : "; not revoked (CRL of \(day(crls[0].thisUpdate)))"
        return result(.trusted, .signerTrusted, "chains to CSCA \(csca.subject)\(crlNote)")
    }

    static func issuers(of c: Certificate, in trust: TrustStore) -> [Certificate] {
        trust.anchors.filter {
            $0.subjectDER == c.issuerDER && $0.der != c.der
                && (c.authorityKeyIdentifier == nil || $0.subjectKeyIdentifier == nil || c.authorityKeyIdentifier == $0.subjectKeyIdentifier)
        }
    }

    static func verifies(_ c: Certificate, under issuer: Certificate) -> Bool {
        (try? SignatureVerifier.verify(message: c.tbsDER, signature: c.signature, algorithm: c.signatureAlgorithm,
                                       parameters: c.signatureAlgorithmParameters, key: issuer.publicKeyInfo.key)) ?? false
    }

    static func day(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: d)
    }
}
