import ISO7816
import MRTDCrypto

/// Active Authentication (ICAO 9303-11 §6.1): the chip signs a challenge with the private key
/// whose public half is in DG15.
public enum ActiveAuthentication {
    /// Sends INTERNAL AUTHENTICATE with `challenge` (8 bytes; fresh random by default) and checks the
    /// signature against DG15's key. RSA: ISO/IEC 9796-2 scheme 1 (SHA-1 "BC" or SHA-2 two-byte
    /// trailers). ECDSA: plain r‖s or DER, with the hash named by DG14's ActiveAuthenticationInfo.
    public static func run(over channel: any CardChannel, dg15: DG15, dg14: DG14?, challenge: [UInt8]? = nil,
                           random: any RandomSource = SystemRandom()) async throws -> ChipCheckResult {
        let c = challenge ?? random.bytes(8)
        guard c.count == 8 else { throw MRTDError.unsupported("Active Authentication challenges are 8 bytes") }
        let ne: Int
        switch dg15.publicKey.key {
        case .rsa(let n, _): ne = n.drop { $0 == 0 }.count
        case .ec(let d, _):
            if case .ec(let p, _) = d { ne = 2 * p.order.count + 8 } else { ne = 256 }
        case .dh: return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "DG15 holds a DH key, which cannot sign")
        }
        let r = try await channel.transmit(CommandAPDU(ins: 0x88, p1: 0, p2: 0, data: c, ne: min(max(ne, 1), channel.limits.maxNe)))
        guard r.status.isSuccess, !r.data.isEmpty else {
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "INTERNAL AUTHENTICATE answered \(r.status)")
        }
        return verify(signature: r.data, challenge: c, dg15: dg15, dg14: dg14)
    }

    /// Checks an AA signature (also usable server-side on a recorded answer).
    public static func verify(signature: [UInt8], challenge: [UInt8], dg15: DG15, dg14: DG14?) -> ChipCheckResult {
        switch dg15.publicKey.key {
        case let .rsa(n, e):
            return verifyRSA(signature, challenge, RSAPublicKey(modulus: n, exponent: e))
        case let .ec(domain, point):
            guard case let .ec(params, named) = domain else { return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "EC key without domain") }
            let algOID = dg14?.securityInfos.activeAuthenticationInfo?.signatureAlgorithm ?? OID.ecdsaPlainSHA256
            guard case .ecdsa(let hash) = (try? SignatureVerifier.scheme(algorithm: algOID, parameters: nil)) else {
                return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "unsupported AA signature algorithm \(algOID)")
            }
            do {
                let group = try named.map { try ECGroup($0) } ?? ECGroup(explicit: params)
                let ok = try ECDSASignature.verify(digest: hash.hash(challenge), signature: signature, publicKey: try group.point(uncompressed: point), group: group)
                return ChipCheckResult(status: ok ? .passed : .failed, code: ok ? .activeAuthenticated : .activeSignatureInvalid, detail: ok ? "ECDSA signature over the challenge verifies" : "ECDSA signature does not verify",
                                       algorithm: "ECDSA with \(hash.rawValue)")
            } catch {
                return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "AA key unusable: \(error)")
            }
        case .dh:
            return ChipCheckResult(status: .failed, code: .activeAuthenticationFailed, detail: "DG15 holds a DH key")
        }
    }

    /// ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery.
    static func verifyRSA(_ s: [UInt8], _ challenge: [UInt8], _ key: RSAPublicKey) -> ChipCheckResult {
        let algorithm = "RSA ISO/IEC 9796-2 scheme 1"
        guard var m = try? key.rawPublic(s) else { return ChipCheckResult(status: .failed, code: .activeSignatureInvalid, detail: "signature is not below the modulus", algorithm: algorithm) }
        let k = key.modulus.count
        m = [UInt8](repeating: 0, count: max(0, k - m.count)) + m
        // ISO/IEC 9796-2 lets the signer return min(s, n − s): then the recovered value is n − m.
        if m.last.map({ $0 & 0x0F != 0x0C }) == true, let alt = try? ModularArithmetic.subtract(key.modulus, m) {
            m = [UInt8](repeating: 0, count: max(0, k - alt.count)) + alt
        }
        guard let last = m.last, m.first.map({ $0 & 0xC0 == 0x40 }) == true else {
            return ChipCheckResult(status: .failed, code: .activeSignatureInvalid, detail: "recovered message has no 9796-2 header", algorithm: algorithm)
        }
        let hash: HashAlgorithm
        let trailer: Int
        if last == 0xBC {
            hash = .sha1
            trailer = 1
        } else if last == 0xCC, m.count >= 2 {
            switch m[m.count - 2] {
            case 0x33: hash = .sha1
            case 0x38: hash = .sha224
            case 0x34: hash = .sha256
            case 0x36: hash = .sha384
            case 0x35: hash = .sha512
            default: return ChipCheckResult(status: .failed, code: .activeSignatureInvalid, detail: "unknown 9796-2 hash identifier", algorithm: algorithm)
            }
            trailer = 2
        } else {
            return ChipCheckResult(status: .failed, code: .activeSignatureInvalid, detail: "recovered message has no 9796-2 trailer", algorithm: algorithm)
        }
        let hLen = hash.outputLength
        guard m.count > 1 + hLen + trailer else { return ChipCheckResult(status: .failed, code: .activeSignatureInvalid, detail: "modulus too small for the hash", algorithm: algorithm) }
        // Header 0x6A: partial recovery; M1 follows the header up to the digest.
        let m1 = Array(m[1..<(m.count - hLen - trailer)])
        let digest = Array(m[(m.count - hLen - trailer)..<(m.count - trailer)])
        let ok = hash.hash(m1 + challenge) == digest
        return ChipCheckResult(status: ok ? .passed : .failed, code: ok ? .activeAuthenticated : .activeSignatureInvalid,
                               detail: ok ? "signature over the challenge verifies (\(hash.rawValue))" : "signature does not verify with the DG15 key",
                               algorithm: "\(algorithm), \(hash.rawValue)")
    }
}
