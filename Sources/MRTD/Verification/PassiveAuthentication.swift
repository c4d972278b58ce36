import Foundation
import ISO7816
import MRTDCrypto

/// Passive Authentication (ICAO 9303-11 §5.1) and the document-signer chain (9303-12).
///
/// Chain policy: the document signer certificate must verify under a CSCA certificate whose
/// subject is the DSC's issuer (and whose subject key identifier matches the DSC's authority key
/// identifier when both are present); the CSCA is a trust anchor, or a link certificate that
/// itself verifies under a self-signed trust anchor. The DSC must have been valid when the document
/// was signed (EF.SOD's signingTime, else the date of issue, else the verification time) and carry
/// digitalSignature if it has a keyUsage; the CSCA must have been valid when the DSC was issued and
/// carry keyCertSign if it has a keyUsage. A CRL from that CSCA, verified with a trusted key of the
/// CSCA, revokes by serial.
public enum PassiveAuthentication {
    /// Whether a certificate is the one a SignerInfo names.
    public static func matches(_ c: Certificate, _ id: CMSSignedData.SignerInfo.Identifier) -> Bool {
        switch id {
        case let .issuerAndSerialNumber(issuer, serial): return c.issuerDER == issuer && c.serialNumber == serial
        case let .subjectKeyIdentifier(ski): return c.subjectKeyIdentifier == ski
        }
    }

    /// Checks a SignerInfo's attributes and signature over the SignedData content.
    ///
    /// Signed attributes are mandatory (content type equal to the content's, exactly one message
    /// digest, each single-valued); the digest algorithm and the signature's hash must be ones
    /// `policy` allows.
    public static func verifySignedData(_ sd: CMSSignedData, signerInfo si: CMSSignedData.SignerInfo, certificate: Certificate,
                                        policy: AlgorithmPolicy = .default) -> (ok: Bool, code: CheckCode, detail: String, algorithm: String?) {
        guard let digestAlg = HashAlgorithm(oid: si.digestAlgorithm) else { return (false, .algorithmNotAllowed, "unknown digest algorithm \(si.digestAlgorithm)", nil) }
        guard policy.allows(digestAlg) else { return (false, .algorithmNotAllowed, "digest algorithm \(digestAlg.rawValue) is not allowed", nil) }
        if let problem = si.signedAttributesProblem(contentType: sd.contentType) { return (false, .sodSignedAttributesInvalid, problem, nil) }
        guard let attrs = si.signedAttributesDER, let md = si.messageDigest else {
            return (false, .sodSignedAttributesInvalid, "signed attributes lack messageDigest", nil)
        }
        guard md == digestAlg.hash(sd.content) else { return (false, .sodSignatureInvalid, "messageDigest does not match the signed content", nil) }
        let scheme: SignatureVerifier.Scheme
        do {
            scheme = try SignatureVerifier.scheme(algorithm: si.signatureAlgorithm, parameters: si.signatureAlgorithmParameters, digestAlgorithm: si.digestAlgorithm)
        } catch {
            return (false, .algorithmNotAllowed, "\(error)", nil)
        }
        let name = SignatureVerifier.describe(scheme)
        if let refused = policy.refusedHash(in: scheme) {
            return (false, .algorithmNotAllowed, "signature algorithm \(name) uses \(refused.rawValue), which is not allowed", name)
        }
        do {
            guard try SignatureVerifier.verify(message: attrs, signature: si.signature, scheme: scheme, key: certificate.publicKeyInfo.key) else {
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
    ///     judged at EF.SOD's signingTime, else at this date (as a whole day), else at `date`.
    ///   - policy: the hash algorithms allowed for the LDS hashes, the digest and the signature.
    public static func verify(sod: SOD, files: [LDSFileID: [UInt8]], unavailable: [Int: String] = [:], mustBeSigned: Set<Int> = [],
                              trust: TrustStore, at date: Date = Date(), documentIssuedAt: Date? = nil, policy: AlgorithmPolicy = .default)
        -> (PassiveAuthenticationResult, SignerResult, Certificate?) {
        let so = sod.securityObject
        var groups = [String: DataGroupMatch]()
        var matched = [Int]()
        var problems = [(CheckCode, String)]()
        let hash = so.hashAlgorithm
        if hash == nil { problems.append((.algorithmNotAllowed, "unknown hash algorithm \(so.hashAlgorithmOID)")) }
        let hashAllowed = hash.map(policy.allows) ?? false
        if let hash, !hashAllowed { problems.append((.algorithmNotAllowed, "LDS hash algorithm \(hash.rawValue) is not allowed")) }
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
        var signedAt: SigningTime?
        if let si = sod.signedData.signerInfos.first {
            signedAt = si.signingTime.map { SigningTime(date: $0, source: .signingTimeAttribute) }
            let embedded = sod.signedData.certificates.compactMap { try? Certificate(der: $0) }
            dsc = embedded.first { matches($0, si.signerIdentifier) } ?? trust.anchors.first { matches($0, si.signerIdentifier) }
            if let dsc {
                let r = verifySignedData(sod.signedData, signerInfo: si, certificate: dsc, policy: policy)
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
            verifiedDataGroups: signatureOK && hashAllowed ? matched : [])
        // A time counts only from a document whose signature verifies (signingTime is signed; the
        // date of issue comes from DG13, signed when Passive Authentication passes); otherwise the
        // signer is judged at the verification time.
        let when = !signatureOK ? nil : signedAt ?? (passed ? documentIssuedAt.map { SigningTime(date: $0, source: .dateOfIssue) } : nil)
        return (pa, signer(dsc, trust: trust, at: date, signedAt: when), dsc)
    }

    /// When the document was signed, as far as the verifier knows.
    public struct SigningTime: Sendable, Hashable {
        public enum Source: String, Sendable, Hashable {
            /// EF.SOD's signingTime signed attribute: an instant.
            case signingTimeAttribute
            /// The document's date of issue (DG13): a calendar day in an unknown time zone.
            case dateOfIssue
        }
        public var date: Date
        public var source: Source

        public init(date: Date, source: Source) {
            self.date = date
            self.source = source
        }

        /// The interval the signing lies in: the instant itself, or the whole day of issue in any
        /// time zone (UTC-12 to UTC+14).
        var interval: ClosedRange<Date> {
            switch source {
            case .signingTimeAttribute: return date...date
            case .dateOfIssue: return date.addingTimeInterval(-14 * 3600)...date.addingTimeInterval(36 * 3600)
            }
        }

        var text: String {
            switch source {
            case .signingTimeAttribute: return "EF.SOD's signingTime \(PassiveAuthentication.day(date))"
            case .dateOfIssue: return "the date of issue \(PassiveAuthentication.day(date))"
            }
        }
    }

    /// The chain check for a document signer certificate.
    ///
    /// The DSC is judged when the document was signed (`signedAt`; the verification time `date`
    /// when unknown): not valid then → `untrusted`, `.signerNotValidAtSigning`; valid then but
    /// expired at `date` → `trusted` with a `.signerExpired` warning (cards without expiry outlive
    /// their signer). The CSCA must have been valid when it issued the DSC. Revocation comes from a
    /// CRL issued under the DSC issuer's name and signed by a trusted key of that CSCA (a renewed
    /// key, vouched for by a link certificate, covers DSCs of the old key); no such CRL, or one past
    /// its nextUpdate, is a warning.
    public static func signer(_ dsc: Certificate?, trust: TrustStore, at date: Date, signedAt: SigningTime? = nil) -> SignerResult {
        guard let dsc else {
            return SignerResult(status: .unknown, code: .signerCertificateMissing, detail: "no document signer certificate")
        }
        var warnings = [CheckWarning]()
        func result(_ s: SignerStatus, _ c: CheckCode, _ d: String) -> SignerResult {
            SignerResult(status: s, code: c, detail: d, subject: dsc.subject, issuer: dsc.issuer, serialNumber: dsc.serialNumber.hex, warnings: warnings)
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
        let validity = "\(day(dsc.notBefore)) – \(day(dsc.notAfter))"
        if let signedAt {
            let when = signedAt.interval
            guard dsc.notBefore <= when.upperBound && when.lowerBound <= dsc.notAfter else {
                return result(.untrusted, .signerNotValidAtSigning, "document signer certificate (valid \(validity)) was not valid at \(signedAt.text)")
            }
            guard when.lowerBound <= date.addingTimeInterval(86_400) else {
                return result(.untrusted, .signerNotValidAtSigning, "the document claims to be signed at \(signedAt.text), after the verification date \(day(date))")
            }
            guard dsc.notBefore <= date else {
                return result(.untrusted, .signerNotValidAtSigning, "document signer certificate is valid only from \(day(dsc.notBefore)), after the verification date \(day(date))")
            }
        } else {
            guard dsc.isValid(at: date) else {
                return result(.untrusted, .signerNotValidAtSigning, "document signer certificate (valid \(validity)) is not valid on \(day(date)) and the signing time is unknown")
            }
        }
        guard csca.isValid(at: dsc.notBefore) else { return result(.untrusted, .signerNotValidAtSigning, "CSCA was not valid when the document signer was issued") }
        if let ku = dsc.keyUsage, !ku.contains(0) { return result(.untrusted, .keyUsageInvalid, "document signer certificate lacks digitalSignature key usage") }
        if let ku = csca.keyUsage, !ku.contains(5) { return result(.untrusted, .keyUsageInvalid, "CSCA certificate lacks keyCertSign key usage") }
        if date > dsc.notAfter {
            warnings.append(CheckWarning(code: .signerExpired, detail: "document signer certificate expired on \(day(dsc.notAfter)); it was valid when the document was signed"))
        }
        let cscaKeys = trust.trustedCSCAs(named: dsc.issuerDER)
        let crls = trust.crls.filter { crl in crl.issuerDER == dsc.issuerDER && cscaKeys.contains(where: { crl.isSigned(by: $0) }) }
            .sorted { $0.thisUpdate > $1.thisUpdate }
        if crls.contains(where: { $0.revokedSerials.contains(dsc.serialNumber) }) {
            return result(.untrusted, .signerRevoked, "document signer certificate is revoked by the CSCA's CRL")
        }
        var crlNote = ""
        if let crl = crls.first {
            crlNote = "; not revoked (CRL of \(day(crl.thisUpdate)))"
            if let next = crl.nextUpdate, next < date {
                warnings.append(CheckWarning(code: .crlStale, detail: "the CRL of \(dsc.issuer) was due for renewal on \(day(next)); revocations since then are unknown"))
            }
        } else {
            warnings.append(CheckWarning(code: .crlMissing, detail: "no CRL from \(dsc.issuer) in the trust store; revocation was not checked"))
        }
        return result(.trusted, .signerTrusted, "chains to CSCA \(csca.subject)\(crlNote)")
    }

    static func issuers(of c: Certificate, in trust: TrustStore) -> [Certificate] {
        trust.anchors.filter {
            $0.subjectDER == c.issuerDER && $0.der != c.der
                && (c.authorityKeyIdentifier == nil || $0.subjectKeyIdentifier == nil || c.authorityKeyIdentifier == $0.subjectKeyIdentifier)
        }
    }

    static func verifies(_ c: Certificate, under issuer: Certificate) -> Bool {
        SignatureCheckCache.shared.verifies(message: c.tbsDER, signature: c.signature, algorithm: c.signatureAlgorithm,
                                            parameters: c.signatureAlgorithmParameters, signer: issuer.publicKeyInfo)
    }

    static func day(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: d)
    }
}
