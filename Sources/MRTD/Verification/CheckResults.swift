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

/// Passive Authentication with its evidence.
public struct PassiveAuthenticationResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var detail: String
    /// "DG1" → match/mismatch/notRead, for every data group in EF.SOD or read.
    public var dataGroups: [String: DataGroupMatch]
    public var hashAlgorithm: String?
    public var signatureAlgorithm: String?
    /// Data groups whose hash verified and whose SOD signature verified: only these count as
    /// evidence (for DG14 and DG15 keys in particular).
    public var verifiedDataGroups: [Int]
}

/// The document signer's standing in the trust store.
public struct SignerResult: Codable, Sendable, Hashable {
    public var status: SignerStatus
    public var detail: String
    public var subject: String?
    public var issuer: String?
    public var serialNumber: String?
}

/// Active or Chip Authentication.
public struct ChipCheckResult: Codable, Sendable, Hashable {
    public var status: CheckStatus
    public var detail: String
    public var algorithm: String?

    public init(status: CheckStatus, detail: String, algorithm: String? = nil) {
        self.status = status
        self.detail = detail
        self.algorithm = algorithm
    }
}
