import Crypto

/// The hash functions eMRTDs use (SOD digests, signatures, key derivation).
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
    case sha1 = "SHA-1", sha224 = "SHA-224", sha256 = "SHA-256", sha384 = "SHA-384", sha512 = "SHA-512"

    public var outputLength: Int {
        switch self {
        case .sha1: return 20
        case .sha224: return 28
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The algorithm OID (dotted) as used in AlgorithmIdentifier.
    public var oid: String {
        switch self {
        case .sha1: return "1.3.14.3.2.26"
        case .sha224: return "2.16.840.1.101.3.4.2.4"
        case .sha256: return "2.16.840.1.101.3.4.2.1"
        case .sha384: return "2.16.840.1.101.3.4.2.2"
        case .sha512: return "2.16.840.1.101.3.4.2.3"
        }
    }

    public init?(oid: String) {
        guard let a = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = a
    }

    public func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        let bytes = Array(data)
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
        case .sha224: return OpenSSLDigest.sha224(bytes)
        case .sha256: return Array(SHA256.hash(data: bytes))
        case .sha384: return Array(SHA384.hash(data: bytes))
        case .sha512: return Array(SHA512.hash(data: bytes))
        }
    }
}
