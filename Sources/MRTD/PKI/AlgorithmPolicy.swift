import MRTDCrypto

/// The hash algorithms a verifier accepts in a CMS signature (EF.SOD, EF.CardSecurity, master
/// lists): the SignerInfo's digest algorithm, the signature algorithm's hash (and an RSASSA-PSS
/// mask generation hash), and EF.SOD's LDS hash algorithm.
///
/// The default allows SHA-224, SHA-256, SHA-384 and SHA-512 (ICAO 9303-12, 8th edition). SHA-1
/// is refused: the Vietnamese chip card is issued since 2021 with SHA-2 signers, so a SHA-1
/// EF.SOD on it is a forgery attempt or a broken card; `legacy` admits SHA-1 for old passports.
public struct AlgorithmPolicy: Sendable, Hashable {
    public var hashes: Set<HashAlgorithm>

    public init(hashes: Set<HashAlgorithm>) { self.hashes = hashes }

    public static let `default` = AlgorithmPolicy(hashes: [.sha224, .sha256, .sha384, .sha512])
    /// The default plus SHA-1, for documents signed before ICAO retired it.
    public static let legacy = AlgorithmPolicy(hashes: Set(HashAlgorithm.allCases))

    public func allows(_ h: HashAlgorithm) -> Bool { hashes.contains(h) }

    /// The first hash of `scheme` the policy refuses, if any.
    public func refusedHash(in scheme: SignatureVerifier.Scheme) -> HashAlgorithm? {
        switch scheme {
        case .rsaPKCS1(let h), .ecdsa(let h): return allows(h) ? nil : h
        case let .rsaPSS(h, mgf, _): return !allows(h) ? h : !allows(mgf) ? mgf : nil
        }
    }
}
