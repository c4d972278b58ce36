internal import COpenSSL

/// An EC private key on any prime curve (named, explicit or mapped).
public struct ECPrivateKey: Sendable {
    public let group: ECGroup
    public let scalar: [UInt8]
    public let publicKey: ECPoint

    public init(group: ECGroup, scalar: [UInt8]) throws {
        guard ModularArithmetic.compare(scalar, [0]) > 0, ModularArithmetic.compare(scalar, group.order) < 0 else {
            throw CryptoError(.invalidKey, "EC private key out of range")
        }
        self.group = group
        self.scalar = scalar
        publicKey = try group.multiplyGenerator(by: scalar)
    }

    /// A key derived from seed material: scalar = (H(seed) mod (n-1)) + 1, expanded with SHA-512 to
    /// the order's width. Deterministic, for reproducible test PKIs and simulated chips.
    public init(group: ECGroup, seed: [UInt8]) throws {
        var material = [UInt8]()
        var counter: UInt8 = 0
        while material.count < group.order.count + 16 {
            material += HashAlgorithm.sha512.hash(seed + [counter])
            counter += 1
        }
        let n1 = try ModularArithmetic.subtractOne(group.order)
        let reduced = try ModularArithmetic.mod(Array(material.prefix(group.order.count + 16)), n1)
        let scalar = try ModularArithmetic.addOne(reduced, width: group.order.count)
        try self.init(group: group, scalar: scalar)
    }

    /// A fresh random key.
    public static func generate(on group: ECGroup) throws -> ECPrivateKey {
        try ECPrivateKey(group: group, scalar: try group.randomPrivateKey())
    }

    /// ECDSA over a precomputed digest; returns the DER `ECDSA-Sig-Value`.
    public func sign(digest: [UInt8]) throws -> [UInt8] {
        let key = try ECKeyHandle(group: group, publicKey: publicKey, privateScalar: scalar)
        guard let sig = digest.withUnsafeBufferPointer({ ECDSA_do_sign($0.baseAddress, Int32(clamping: $0.count), key.raw) }) else {
            throw OpenSSL.fail(.operationFailed, "ECDSA_do_sign")
        }
        defer { ECDSA_SIG_free(sig) }
        return ECDSASignature.encode(sig)
    }

    /// ECDSA with the plain r ‖ s encoding (BSI TR-03111), each half at the order's width.
    public func signPlain(digest: [UInt8]) throws -> [UInt8] {
        try ECDSASignature.derToPlain(try sign(digest: digest), width: group.order.count)
    }
}

/// ECDSA verification and signature-encoding conversions.
public enum ECDSASignature {
    /// Verifies a DER or plain (r ‖ s) signature over a digest. Returns false for a wrong
    /// signature; throws only for unusable keys.
    public static func verify(digest: [UInt8], signature: [UInt8], publicKey: ECPoint, group: ECGroup) throws -> Bool {
        let key = try ECKeyHandle(group: group, publicKey: publicKey, privateScalar: nil)
        var candidates = [[UInt8]]()
        if signature.first == 0x30 { candidates.append(signature) }
        if signature.count == 2 * group.order.count, let der = try? plainToDER(signature, width: group.order.count) {
            candidates.append(der)
        }
        for der in candidates where verifyDER(der, digest, key) { return true }
        return false
    }

    private static func verifyDER(_ der: [UInt8], _ digest: [UInt8], _ key: ECKeyHandle) -> Bool {
        var p: UnsafePointer<UInt8>? = nil
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { b in
            p = b.baseAddress
            return d2i_ECDSA_SIG(nil, &p, b.count)
        }
        guard let sig else { ERR_clear_error(); return false }
        defer { ECDSA_SIG_free(sig) }
        let rc = digest.withUnsafeBufferPointer { ECDSA_do_verify($0.baseAddress, Int32(clamping: $0.count), sig, key.raw) }
        ERR_clear_error()
        return rc == 1
    }

    /// i2d of an ECDSA_SIG.
    static func encode(_ sig: OpaquePointer) -> [UInt8] {
        let len = i2d_ECDSA_SIG(sig, nil)
        var out = [UInt8](repeating: 0, count: Int(max(0, len)))
        out.withUnsafeMutableBufferPointer { p in
            var ptr: UnsafeMutablePointer<UInt8>? = p.baseAddress
            _ = i2d_ECDSA_SIG(sig, &ptr)
        }
        return out
    }

    /// DER ECDSA-Sig-Value → r ‖ s, each left-padded to `width`.
    public static func derToPlain(_ der: [UInt8], width: Int) throws -> [UInt8] {
        var p: UnsafePointer<UInt8>? = nil
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { b in
            p = b.baseAddress
            return d2i_ECDSA_SIG(nil, &p, b.count)
        }
        guard let sig else { throw CryptoError(.invalidSignature, "not a DER ECDSA signature") }
        defer { ECDSA_SIG_free(sig) }
        var r: OpaquePointer? = nil, s: OpaquePointer? = nil
        ECDSA_SIG_get0(sig, &r, &s)
        func bytes(_ bn: OpaquePointer?) -> [UInt8] {
            guard let bn else { return [] }
            let n = Int((BN_num_bits(bn) + 7) / 8)
            var out = [UInt8](repeating: 0, count: max(width, n))
            guard n > 0 else { return out }
            out.withUnsafeMutableBufferPointer { b in
                guard let base = b.baseAddress else { return }
                _ = BN_bn2bin(bn, base + (b.count - n))
            }
            return out
        }
        return bytes(r) + bytes(s)
    }

    /// r ‖ s → DER ECDSA-Sig-Value.
    public static func plainToDER(_ plain: [UInt8], width: Int) throws -> [UInt8] {
        guard width > 0, width <= 1024, plain.count == 2 * width else { throw CryptoError(.invalidSignature, "plain signature of \(plain.count) bytes") }
        guard let sig = ECDSA_SIG_new() else { throw OpenSSL.fail(.operationFailed, "ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        // width is 1...1024 and plain holds 2·width bytes: both halves exist and fit an Int32.
        let r = BigNumber(Array(plain[..<width])), s = BigNumber(Array(plain[width...]))
        guard let rc = BN_dup(r.raw), let sc = BN_dup(s.raw) else { throw OpenSSL.fail(.operationFailed, "BN_dup") }
        guard ECDSA_SIG_set0(sig, rc, sc) == 1 else {
            BN_free(rc); BN_free(sc)
            throw OpenSSL.fail(.operationFailed, "ECDSA_SIG_set0")
        }
        return ECDSASignature.encode(sig)
    }
}

/// An EC_KEY on our group (explicit or named), for the ECDSA calls. EC_KEY works with any
/// EC_GROUP, which is what lets explicit-parameter keys (the Vietnamese CSCA) verify.
final class ECKeyHandle {
    let raw: OpaquePointer

    init(group: ECGroup, publicKey: ECPoint, privateScalar: [UInt8]?) throws {
        guard let k = EC_KEY_new() else { throw OpenSSL.fail(.operationFailed, "EC_KEY_new") }
        raw = k
        guard EC_KEY_set_group(k, group.raw) == 1 else { throw OpenSSL.fail(.invalidKey, "EC_KEY_set_group") }
        let ctx = BigNumberContext()
        guard let p = ECGroup.makePoint(group: group.raw, x: publicKey.x, y: publicKey.y, ctx: ctx) else {
            throw CryptoError(.invalidPoint, "public key is not on the curve")
        }
        defer { EC_POINT_free(p) }
        guard EC_KEY_set_public_key(k, p) == 1 else { throw OpenSSL.fail(.invalidKey, "EC_KEY_set_public_key") }
        if let privateScalar {
            let d = BigNumber(privateScalar)
            guard EC_KEY_set_private_key(k, d.raw) == 1 else { throw OpenSSL.fail(.invalidKey, "EC_KEY_set_private_key") }
        }
    }

    deinit { EC_KEY_free(raw) }
}
