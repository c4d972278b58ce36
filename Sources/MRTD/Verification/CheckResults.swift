/// Outcome of one check, as the JSON contract spells it.
public enum CheckStatus: String, Codable, Sendable, Hashable {
    case passed, failed, notSupported, skipped
}

/// Whether the document signer chains to a trusted CSCA.
public enum SignerStatus: String, Codable, Sendable, Hashable {
    /// A valid chain to a trust anchor, not revoked.
    case trusted
    /// A chain exists but fails: bad signature, expired, revoked, wrong key usage.
    case untrusted
    /// No anchor for this signer.
    case unknown
}

/// Per data group result of Passive Authentication.
public enum DataGroupMatch: String, Codable, Sendable, Hashable {
    case match, mismatch, notRead
}

/// The stable machine code of a check's outcome (README: "Check codes").
///
/// Programs and the registry store these; the `detail` beside them is prose for people and may
/// change. Codes are only ever added, never renamed.
public enum CheckCode: String, Codable, Sendable, Hashable, CaseIterable {
    // Passive Authentication
    /// EF.SOD's signature verifies and every data group it lists matches its hash.
    case sodVerified
    case sodSignatureInvalid
    /// Signed attributes absent, or without exactly one content type and one message digest.
    case sodSignedAttributesInvalid
    case dataGroupHashMismatch
    /// Listed in EF.SOD but not served by the card (absent or access refused).
    case dataGroupMissing
    /// Served by the card but not covered by EF.SOD (DG13 must always be covered).
    case dataGroupNotSigned
    /// A digest, signature or LDS hash algorithm outside the policy.
    case algorithmNotAllowed
    /// EF.SOD names a signer certificate that neither EF.SOD nor the trust store holds.
    case signerCertificateMissing

    // Document signer
    case signerTrusted
    /// No trust anchor for the signer's issuer.
    case signerUnknown
    /// The signer certificate does not verify under its CSCA, or a link certificate does not chain.
    case signerSignatureInvalid
    case signerRevoked
    /// The DSC was not valid when the document was signed (or the CSCA when the DSC was issued).
    case signerNotValidAtSigning
    /// A key usage forbids the role the certificate plays.
    case keyUsageInvalid
    /// Warnings (never reject on their own).
    case signerExpired, crlStale, crlMissing

    // Chip and Active Authentication
    case chipAuthenticated
    /// The chip could not prove the key EF.SOD vouches for: a clone.
    case chipKeyMismatch
    /// The chip answered Chip Authentication with an error or an unusable key.
    case chipAuthenticationFailed
    case activeAuthenticated
    case activeSignatureInvalid
    /// The chip answered INTERNAL AUTHENTICATE with an error, or its key is unusable.
    case activeAuthenticationFailed
    /// The card does not offer the mechanism.
    case notSupported
    /// EF.SOD does not vouch for the key, so running the mechanism would prove nothing.
    case keyNotSigned

    // Access control
    /// The access protocol used is one the signed SecurityInfos list (or they list none).
    case accessProtocolSigned
    /// The chip was opened with a protocol its signed SecurityInfos do not list: a downgrade.
    case downgrade

    /// The read stopped (a failed Chip Authentication) before this check could run.
    case readAborted

    // DG1/DG13 consistency
    case consistent
    case dataInconsistent
}

/// A warning attached to a check: it never rejects a card on its own, but a station shows it.
public struct CheckWarning: Codable, Sendable, Hashable {
    public var code: CheckCode
    public var detail: String

    public init(code: CheckCode, detail: String) {
        self.code = code
        self.detail = detail
    }
}

/// Passive Authentication with its evidence.
public struct PassiveAuthenticationResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var code: CheckCode
    public var detail: String
    /// "DG1" → match/mismatch/notRead, for every data group in EF.SOD or read.
    public var dataGroups: [String: DataGroupMatch]
    public var hashAlgorithm: String?
    public var signatureAlgorithm: String?
    /// Data groups whose hash verified and whose SOD signature verified: only these count as
    /// evidence (for DG14 and DG15 keys in particular).
    public var verifiedDataGroups: [Int]

    public init(status: CheckStatus, code: CheckCode, detail: String, dataGroups: [String: DataGroupMatch],
                hashAlgorithm: String?, signatureAlgorithm: String?, verifiedDataGroups: [Int]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.dataGroups = dataGroups
        self.hashAlgorithm = hashAlgorithm
        self.signatureAlgorithm = signatureAlgorithm
        self.verifiedDataGroups = verifiedDataGroups
    }
}

/// The document signer's standing in the trust store.
public struct SignerResult: Codable, Sendable, Hashable {
    public var status: SignerStatus
    public var code: CheckCode
    public var detail: String
    public var subject: String?
    public var issuer: String?
    public var serialNumber: String?
    /// What a station should see although the signer is trusted: an expired DSC on a card that
    /// outlives it, a stale or missing CRL.
    public var warnings: [CheckWarning]

    public init(status: SignerStatus, code: CheckCode, detail: String, subject: String? = nil, issuer: String? = nil,
                serialNumber: String? = nil, warnings: [CheckWarning] = []) {
        self.status = status
        self.code = code
        self.detail = detail
        self.subject = subject
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.warnings = warnings
    }
}

/// Active or Chip Authentication.
public struct ChipCheckResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var code: CheckCode
    public var detail: String
    public var algorithm: String?

    public init(status: CheckStatus, code: CheckCode, detail: String, algorithm: String? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.algorithm = algorithm
    }
}

/// Whether the chip was opened with a protocol its signed SecurityInfos vouch for.
public struct AccessCheckResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var code: CheckCode
    public var detail: String
    /// The protocol used, e.g. "PACE-ECDH-GM-AES-CBC-CMAC-128" or "BAC".
    public var `protocol`: String

    public init(status: CheckStatus, code: CheckCode, detail: String, protocol: String) {
        self.status = status
        self.code = code
        self.detail = detail
        self.protocol = `protocol`
    }
}
