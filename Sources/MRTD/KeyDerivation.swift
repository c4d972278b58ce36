import MRTDCrypto

/// The cipher family of a secure-messaging session.
public enum SMCipher: String, Sendable, Hashable, Codable {
    case tripleDES = "3DES"
    case aes128 = "AES-128"
    case aes192 = "AES-192"
    case aes256 = "AES-256"

    public var keyLength: Int {
        switch self {
        case .tripleDES, .aes128: return 16
        case .aes192: return 24
        case .aes256: return 32
        }
    }

    public var blockSize: Int { self == .tripleDES ? 8 : 16 }
}

/// ICAO 9303-11 §9.7.1: K = H(shared secret ‖ counter), truncated to the key length.
/// SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256; 3DES keys get DES parity.
public enum KeyDerivation {
    public static let encCounter: UInt32 = 1
    public static let macCounter: UInt32 = 2
    public static let passwordCounter: UInt32 = 3

    public static func derive(_ secret: [UInt8], counter: UInt32, cipher: SMCipher) -> [UInt8] {
        let input = secret + [UInt8(counter >> 24), UInt8((counter >> 16) & 0xFF), UInt8((counter >> 8) & 0xFF), UInt8(counter & 0xFF)]
        switch cipher {
        case .tripleDES:
            return TripleDES.adjustParity(Array(HashAlgorithm.sha1.hash(input).prefix(16)))
        case .aes128:
            return Array(HashAlgorithm.sha1.hash(input).prefix(16))
        case .aes192:
            return Array(HashAlgorithm.sha256.hash(input).prefix(24))
        case .aes256:
            return HashAlgorithm.sha256.hash(input)
        }
    }

    /// (KSenc, KSmac) from a shared secret.
    public static func sessionKeys(_ secret: [UInt8], cipher: SMCipher) -> (enc: [UInt8], mac: [UInt8]) {
        (derive(secret, counter: encCounter, cipher: cipher), derive(secret, counter: macCounter, cipher: cipher))
    }
}
