import MRTDCrypto
import SwiftASN1

/// Verifies a signature given the algorithm identifier of the SignerInfo or certificate — the
/// SignerInfo's algorithm, never the certificate's key algorithm, decides padding and hash.
public enum SignatureVerifier {
    public enum Scheme: Hashable, Sendable {
        case rsaPKCS1(HashAlgorithm)
        case rsaPSS(HashAlgorithm, mgf: HashAlgorithm, salt: Int)
        case ecdsa(HashAlgorithm)
    }

    /// Interprets an algorithm OID (+ parameters). `digestAlgorithm` is used for the bare
    /// rsaEncryption / id-ecPublicKey OIDs some signers write.
    public static func scheme(algorithm: String, parameters: [UInt8]?, digestAlgorithm: String? = nil) throws -> Scheme {
        let digest = digestAlgorithm.flatMap(HashAlgorithm.init(oid:))
        switch algorithm {
        case OID.sha1WithRSA: return .rsaPKCS1(.sha1)
        case OID.sha224WithRSA: return .rsaPKCS1(.sha224)
        case OID.sha256WithRSA: return .rsaPKCS1(.sha256)
        case OID.sha384WithRSA: return .rsaPKCS1(.sha384)
        case OID.sha512WithRSA: return .rsaPKCS1(.sha512)
        case OID.rsaEncryption:
            guard let digest else { throw CryptoError(.unsupportedAlgorithm, "rsaEncryption without a digest algorithm") }
            return .rsaPKCS1(digest)
        case OID.ecdsaWithSHA1, OID.ecdsaPlainSHA1: return .ecdsa(.sha1)
        case OID.ecdsaWithSHA224, OID.ecdsaPlainSHA224: return .ecdsa(.sha224)
        case OID.ecdsaWithSHA256, OID.ecdsaPlainSHA256: return .ecdsa(.sha256)
        case OID.ecdsaWithSHA384, OID.ecdsaPlainSHA384: return .ecdsa(.sha384)
        case OID.ecdsaWithSHA512, OID.ecdsaPlainSHA512: return .ecdsa(.sha512)
        case OID.ecPublicKey:
            guard let digest else { throw CryptoError(.unsupportedAlgorithm, "id-ecPublicKey without a digest algorithm") }
            return .ecdsa(digest)
        case OID.rsassaPSS:
            return try pss(parameters)
        default:
            throw CryptoError(.unsupportedAlgorithm, "signature algorithm \(algorithm)")
        }
    }

    /// RSASSA-PSS-params: hash [0] (default SHA-1), mask gen [1] (default MGF1/SHA-1), salt [2] (default 20).
    static func pss(_ parameters: [UInt8]?) throws -> Scheme {
        var hash = HashAlgorithm.sha1, mgf = HashAlgorithm.sha1, salt = 20
        guard let parameters else { return .rsaPSS(hash, mgf: mgf, salt: salt) }
        let r = BERReader(file: "RSASSA-PSS parameters")
        for item in try r.children(try r.parse(parameters)) {
            guard case .constructed(let inner) = item.content, let v = Array(inner).first else { continue }
            switch item.identifier {
            case ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific):
                let alg = try r.oid(try r.children(v).first ?? v)
                guard let h = HashAlgorithm(oid: alg) else { throw CryptoError(.unsupportedAlgorithm, "PSS hash \(alg)") }
                hash = h
            case ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific):
                let parts = try r.children(v)
                guard parts.count == 2, try r.oid(parts[0]) == OID.mgf1 else { throw CryptoError(.unsupportedAlgorithm, "PSS mask generation") }
                let alg = try r.oid(try r.children(parts[1]).first ?? parts[1])
                guard let h = HashAlgorithm(oid: alg) else { throw CryptoError(.unsupportedAlgorithm, "MGF1 hash \(alg)") }
                mgf = h
            case ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific):
                salt = try r.int(v)
                // A salt is at most the modulus size: 0...4096 bytes covers every RSA key in use and
                // keeps a hostile 2^31 or a negative value out of OpenSSL's `int`.
                guard RSAPadding.pssSaltLengths.contains(salt) else { throw CryptoError(.unsupportedAlgorithm, "PSS salt length \(salt)") }
            default:
                break
            }
        }
        return .rsaPSS(hash, mgf: mgf, salt: salt)
    }

    /// Verifies `signature` over `message`. False for a signature that does not verify; throws for
    /// algorithms or keys that cannot be used.
    public static func verify(message: [UInt8], signature: [UInt8], algorithm: String, parameters: [UInt8]?,
                              digestAlgorithm: String? = nil, key: PublicKey) throws -> Bool {
        let s = try scheme(algorithm: algorithm, parameters: parameters, digestAlgorithm: digestAlgorithm)
        return try verify(message: message, signature: signature, scheme: s, key: key)
    }

    public static func verify(message: [UInt8], signature: [UInt8], scheme: Scheme, key: PublicKey) throws -> Bool {
        switch (scheme, key) {
        case let (.rsaPKCS1(h), .rsa(n, e)):
            return try RSAPublicKey(modulus: n, exponent: e).verify(digest: h.hash(message), signature: signature, hash: h, padding: .pkcs1v15)
        case let (.rsaPSS(h, mgf, salt), .rsa(n, e)):
            return try RSAPublicKey(modulus: n, exponent: e).verify(digest: h.hash(message), signature: signature, hash: h, padding: .pss(saltLength: salt, mgfHash: mgf))
        case let (.ecdsa(h), .ec(domain, point)):
            guard case let .ec(params, named) = domain else { return false }
            let group = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
            let pt = try group.point(uncompressed: point)
            return try ECDSASignature.verify(digest: h.hash(message), signature: signature, publicKey: pt, group: group)
        default:
            throw CryptoError(.unsupportedAlgorithm, "signature scheme does not match the key type")
        }
    }

    /// A short name for reports ("ECDSA with SHA-512", "RSASSA-PSS SHA-256 salt 32").
    public static func describe(_ s: Scheme) -> String {
        switch s {
        case .rsaPKCS1(let h): return "RSA PKCS#1 v1.5 with \(h.rawValue)"
        case let .rsaPSS(h, mgf, salt): return "RSASSA-PSS \(h.rawValue), MGF1 \(mgf.rawValue), salt \(salt)"
        case .ecdsa(let h): return "ECDSA with \(h.rawValue)"
        }
    }
}

enum HashAlgorithmHex {
    static func sha256(_ b: [UInt8]) -> String {
        let d = HashAlgorithm.sha256.hash(b)
        let digits = Array("0123456789abcdef")
        return String(d.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
