internal import COpenSSL

/// The prime curves eMRTDs use: the ICAO/BSI standardized PACE domain parameters 8–18.
public enum NamedCurve: String, Sendable, Hashable, CaseIterable, Codable {
    case p192 = "secp192r1", p224 = "secp224r1", p256 = "secp256r1", p384 = "secp384r1", p521 = "secp521r1"
    case brainpoolP192r1, brainpoolP224r1, brainpoolP256r1, brainpoolP320r1, brainpoolP384r1, brainpoolP512r1

    var nid: Int32 {
        switch self {
        case .p192: return NID_X9_62_prime192v1
        case .p224: return NID_secp224r1
        case .p256: return NID_X9_62_prime256v1
        case .p384: return NID_secp384r1
        case .p521: return NID_secp521r1
        case .brainpoolP192r1: return NID_brainpoolP192r1
        case .brainpoolP224r1: return NID_brainpoolP224r1
        case .brainpoolP256r1: return NID_brainpoolP256r1
        case .brainpoolP320r1: return NID_brainpoolP320r1
        case .brainpoolP384r1: return NID_brainpoolP384r1
        case .brainpoolP512r1: return NID_brainpoolP512r1
        }
    }

    /// The named-curve OID, as it appears in certificates and SubjectPublicKeyInfo.
    public var oid: String {
        switch self {
        case .p192: return "1.2.840.10045.3.1.1"
        case .p224: return "1.3.132.0.33"
        case .p256: return "1.2.840.10045.3.1.7"
        case .p384: return "1.3.132.0.34"
        case .p521: return "1.3.132.0.35"
        case .brainpoolP192r1: return "1.3.36.3.3.2.8.1.1.3"
        case .brainpoolP224r1: return "1.3.36.3.3.2.8.1.1.5"
        case .brainpoolP256r1: return "1.3.36.3.3.2.8.1.1.7"
        case .brainpoolP320r1: return "1.3.36.3.3.2.8.1.1.9"
        case .brainpoolP384r1: return "1.3.36.3.3.2.8.1.1.11"
        case .brainpoolP512r1: return "1.3.36.3.3.2.8.1.1.13"
        }
    }

    public init?(oid: String) {
        guard let c = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = c
    }
}
