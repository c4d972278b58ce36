import MRTD
import MRTDCrypto

/// A private key of the test PKI together with how it signs: the algorithm identifier it writes
/// into certificates and SignerInfos, and the signature it produces.
public enum SigningKey: Sendable {
    case ec(ECPrivateKey, hash: HashAlgorithm)
    case rsa(RSAPrivateKey, hash: HashAlgorithm, padding: RSAPadding)

    public var hash: HashAlgorithm {
        switch self {
        case .ec(_, let h), .rsa(_, let h, _): return h
        }
    }

    /// The public key as a PublicKey value.
    public var publicKey: PublicKey {
        switch self {
        case .ec(let k, _):
            let named = k.group.namedCurve
            return .ec(.ec(k.group.parameters, named: named), point: k.publicKey.uncompressed)
        case .rsa(let k, _, _):
            return .rsa(modulus: k.publicKey.modulus, exponent: k.publicKey.exponent)
        }
    }

    /// DER AlgorithmIdentifier of the signature.
    public var algorithmIdentifier: [UInt8] {
        switch self {
        case .ec(_, let h):
            let oid: String
            switch h {
            case .sha1: oid = OID.ecdsaWithSHA1
            case .sha224: oid = OID.ecdsaWithSHA224
            case .sha256: oid = OID.ecdsaWithSHA256
            case .sha384: oid = OID.ecdsaWithSHA384
            case .sha512: oid = OID.ecdsaWithSHA512
            }
            return DERBuilder.sequence([DERBuilder.oid(oid)])
        case let .rsa(_, h, padding):
            switch padding {
            case .pkcs1v15:
                let oid: String
                switch h {
                case .sha1: oid = OID.sha1WithRSA
                case .sha224: oid = OID.sha224WithRSA
                case .sha256: oid = OID.sha256WithRSA
                case .sha384: oid = OID.sha384WithRSA
                case .sha512: oid = OID.sha512WithRSA
                }
                return DERBuilder.sequence([DERBuilder.oid(oid), DERBuilder.null])
            case let .pss(salt, mgf):
                let hashAlg = DERBuilder.sequence([DERBuilder.oid(h.oid)])
                let mgfAlg = DERBuilder.sequence([DERBuilder.oid(OID.mgf1), DERBuilder.sequence([DERBuilder.oid(mgf.oid)])])
                let params = DERBuilder.sequence([
                    DERBuilder.contextConstructed(0, hashAlg),
                    DERBuilder.contextConstructed(1, mgfAlg),
                    DERBuilder.contextConstructed(2, DERBuilder.integer(salt)),
                ])
                return DERBuilder.sequence([DERBuilder.oid(OID.rsassaPSS), params])
            }
        }
    }

    /// Signs `message` (hashing it with the key's hash).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        let digest = hash.hash(message)
        switch self {
        case .ec(let k, _): return try k.sign(digest: digest)
        case let .rsa(k, h, p): return try k.sign(digest: digest, hash: h, padding: p)
        }
    }

    /// SubjectPublicKeyInfo DER. `explicitParameters` spells EC domains out in full.
    public func subjectPublicKeyInfo(explicitParameters: Bool) -> [UInt8] {
        SubjectPublicKeyInfo.encode(publicKey, explicitParameters: explicitParameters)
    }
}
