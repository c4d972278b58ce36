/// Ways a simulated card can be wrong, for verification and robustness tests.
public struct CardFaults: Hashable, Sendable, Codable {
    /// Change one byte of these data groups after EF.SOD was signed.
    public var alteredDataGroups: Set<Int> = []
    /// Flip a bit of the SOD signature.
    public var corruptSODSignature = false
    /// Sign EF.SOD with a document signer from another (unknown) CSCA.
    public var unknownSigner = false
    /// Issue a CRL that revokes the document signer.
    public var revokedSigner = false
    /// Answer Active Authentication with a key other than the one DG15 publishes (a clone).
    public var activeAuthenticationKeyMismatch = false
    /// Answer Chip Authentication with a key other than the one DG14 publishes (a clone).
    public var chipAuthenticationKeyMismatch = false
    /// Write a DG1 whose date of birth differs from DG13 (both still signed).
    public var dg1DG13Inconsistent = false
    /// Remove the card when this many command APDUs have been answered.
    public var removeAfterAPDUs: Int?
    /// Delay every answer (models contactless timing).
    public var latencyMilliseconds: Int = 0
    /// Present no ATR and answer nothing (through vpcd, pcscd then never reports a card).
    public var mute = false
    /// Answer "file not found" for these data groups although EF.SOD and EF.COM list them (a clone
    /// that copied EF.SOD but cannot answer for DG14/DG15).
    public var withheldDataGroups: Set<Int> = []
    /// Answer "security status not satisfied" (6982) for these data groups.
    public var deniedDataGroups: Set<Int> = []
    /// Serve these data groups (EF.COM lists them) but leave them out of EF.SOD.
    public var unsignedDataGroups: Set<Int> = []
    /// Answer INTERNAL AUTHENTICATE with a plain 6982, outside secure messaging.
    public var activeAuthenticationPlainStatus = false
    /// Offer in EF.CardAccess only a PACE protocol (3DES) that the signed DG14 does not list.
    public var paceDowngrade = false
    /// Publish (and sign) a DG14 Chip Authentication key that is not a point on its curve.
    public var chipAuthenticationBadKey = false
    /// Answer 6700 to a READ BINARY asking for more than this many bytes (a card whose ATR
    /// promises extended length that its file system does not deliver).
    public var maxReadLe: Int?
    /// Answer 6Cxx to a READ BINARY whose Le is not exactly the bytes left (at most 256): a
    /// card that insists on the exact length.
    public var exactReadLe: Bool?
    /// A document signer valid 2022-01-01 – 2023-07-01 that signed in January 2023: expired today,
    /// valid at signing (a card without expiry outlives its signer).
    public var expiredSigner = false
    /// EF.SOD's signingTime (YYYYMMDD) instead of the default 2024-06-01.
    public var signingTime: String?
    /// EF.SOD without a signingTime: the signer is judged at DG13's date of issue.
    public var noSigningTime = false
    /// The exported CRL is past its nextUpdate (2025-01-01).
    public var staleCRL = false
    /// Answer 6F00 (no precise diagnosis) to every SELECT or READ BINARY of these data groups
    /// although EF.SOD and EF.COM list them: a clone that cannot answer for them and says so with
    /// a status other than "not found" or "access denied".
    public var failingDataGroups: Set<Int> = []
    /// Serve these data groups with a header that does not parse (indefinite length), after EF.SOD
    /// was signed.
    public var garbledDataGroups: Set<Int> = []
    /// PACE-CAM: answer "file not found" for EF.CardSecurity, which holds the key CAM is checked
    /// against (a clone that cannot present a signed key matching its own).
    public var withholdCardSecurity = false
    /// EF.CardAccess names no parameter ID in its PACEInfo and spells the domain out in a
    /// PACEDomainParameterInfo, while the signed DG14 names the standardized parameter ID.
    public var paceUnnamedDomain = false
    /// EF.CardAccess offers no PACE (so a reader with MRZ data uses BAC) while the signed DG14 lists it.
    public var hidePACE = false
    /// After Chip Authentication switched the keys, answer every command with a single byte (no
    /// status word): a clone that cannot speak under the new keys and tries to look like a broken link.
    public var shortAnswerAfterChipAuthentication = false
    /// Answer INTERNAL AUTHENTICATE with a single byte (no status word).
    public var activeAuthenticationShortAnswer = false

    public init() {}

    public var isEmpty: Bool { self == CardFaults() }

    /// Parses `--fault` values: altered-dg=N, corrupt-sod-signature, unknown-signer, revoked-signer,
    /// aa-key-mismatch, ca-key-mismatch, dg1-dg13-inconsistent, remove-after=N, latency-ms=N, mute,
    /// withhold-dg=N, deny-dg=N, unsigned-dg=N, aa-plain-status, pace-downgrade, ca-bad-key,
    /// read-le-limit=N, exact-read-le, expired-signer, signing-time=YYYYMMDD, no-signing-time,
    /// stale-crl, failing-dg=N, garbled-dg=N, withhold-card-security, pace-unnamed-domain, hide-pace,
    /// short-answer-after-ca, aa-short-answer.
    public mutating func apply(_ spec: String) throws {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts[0], value = parts.count > 1 ? parts[1] : nil
        func int() throws -> Int {
            guard let v = value, let n = Int(v), n >= 0 else { throw FaultError(spec: spec) }
            return n
        }
        switch name {
        case "altered-dg": alteredDataGroups.insert(try int())
        case "corrupt-sod-signature": corruptSODSignature = true
        case "unknown-signer": unknownSigner = true
        case "revoked-signer": revokedSigner = true
        case "aa-key-mismatch": activeAuthenticationKeyMismatch = true
        case "ca-key-mismatch": chipAuthenticationKeyMismatch = true
        case "dg1-dg13-inconsistent": dg1DG13Inconsistent = true
        case "remove-after": removeAfterAPDUs = try int()
        case "latency-ms": latencyMilliseconds = try int()
        case "mute": mute = true
        case "withhold-dg": withheldDataGroups.insert(try int())
        case "deny-dg": deniedDataGroups.insert(try int())
        case "unsigned-dg": unsignedDataGroups.insert(try int())
        case "aa-plain-status": activeAuthenticationPlainStatus = true
        case "pace-downgrade": paceDowngrade = true
        case "ca-bad-key": chipAuthenticationBadKey = true
        case "read-le-limit": maxReadLe = try int()
        case "exact-read-le": exactReadLe = true
        case "expired-signer": expiredSigner = true
        case "signing-time":
            guard let v = value, v.count == 8, v.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { throw FaultError(spec: spec) }
            signingTime = v
        case "no-signing-time": noSigningTime = true
        case "stale-crl": staleCRL = true
        case "failing-dg": failingDataGroups.insert(try int())
        case "garbled-dg": garbledDataGroups.insert(try int())
        case "withhold-card-security": withholdCardSecurity = true
        case "pace-unnamed-domain": paceUnnamedDomain = true
        case "hide-pace": hidePACE = true
        case "short-answer-after-ca": shortAnswerAfterChipAuthentication = true
        case "aa-short-answer": activeAuthenticationShortAnswer = true
        default: throw FaultError(spec: spec)
        }
    }

    public static let names = ["altered-dg=N", "corrupt-sod-signature", "unknown-signer", "revoked-signer", "aa-key-mismatch",
                               "ca-key-mismatch", "dg1-dg13-inconsistent", "remove-after=N", "latency-ms=N", "mute",
                               "withhold-dg=N", "deny-dg=N", "unsigned-dg=N", "aa-plain-status", "pace-downgrade", "ca-bad-key",
                               "read-le-limit=N", "exact-read-le",
                               "expired-signer", "signing-time=YYYYMMDD", "no-signing-time", "stale-crl",
                               "failing-dg=N", "garbled-dg=N", "withhold-card-security",
                               "pace-unnamed-domain", "hide-pace",
                               "short-answer-after-ca", "aa-short-answer"]
}

public struct FaultError: Error, CustomStringConvertible {
    public let spec: String
    public var description: String { "unknown fault \"\(spec)\"; known: \(CardFaults.names.joined(separator: ", "))" }
}
