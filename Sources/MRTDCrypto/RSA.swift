internal import COpenSSL

/// RSA signature paddings used by eMRTD signers.
public enum RSAPadding: Hashable, Sendable {
    case pkcs1v15
    /// RSASSA-PSS with MGF1 over `mgfHash` and the given salt length.
    case pss(saltLength: Int, mgfHash: HashAlgorithm)

    /// Salt lengths a PSS signature can have: never negative, never longer than a 32768-bit key.
    public static let pssSaltLengths = 0...4096
}

/// An RSA public key (modulus and exponent, big-endian).
public struct RSAPublicKey: Hashable, Sendable {
    public let modulus: [UInt8]
    public let exponent: [UInt8]

    public init(modulus: [UInt8], exponent: [UInt8]) {
        self.modulus = Array(modulus.drop { $0 == 0 })
        self.exponent = Array(exponent.drop { $0 == 0 })
    }

    public var bitLength: Int {
        guard let first = modulus.first else { return 0 }
        return modulus.count * 8 - first.leadingZeroBitCount
    }

    /// Verifies a signature over a digest. False for a wrong signature; throws only for unusable keys.
    public func verify(digest: [UInt8], signature: [UInt8], hash: HashAlgorithm, padding: RSAPadding) throws -> Bool {
        let handle = try RSAKeyHandle(n: modulus, e: exponent, d: nil, p: nil, q: nil)
        defer { withExtendedLifetime(handle) {} }
        let pkey = handle.evp
        guard let ctx = EVP_PKEY_CTX_new(pkey, nil) else { throw OpenSSL.fail(.operationFailed, "EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_verify_init(ctx) == 1 else { throw OpenSSL.fail(.operationFailed, "EVP_PKEY_verify_init") }
        try configure(ctx, hash: hash, padding: padding)
        let rc = signature.withUnsafeBufferPointer { s in
            digest.withUnsafeBufferPointer { d in EVP_PKEY_verify(ctx, s.baseAddress, s.count, d.baseAddress, d.count) }
        }
        ERR_clear_error()
        return rc == 1
    }

    /// The raw RSA public operation s^e mod n (no padding), at the modulus width; for
    /// ISO/IEC 9796-2 message recovery in Active Authentication.
    public func rawPublic(_ input: [UInt8]) throws -> [UInt8] {
        guard ModularArithmetic.compare(input, modulus) < 0 else { throw CryptoError(.invalidSignature, "RSA input not below the modulus") }
        return try ModularArithmetic.modExp(input, exponent, modulus)
    }
}

func configure(_ ctx: OpaquePointer, hash: HashAlgorithm, padding: RSAPadding) throws {
    switch padding {
    case .pkcs1v15:
        guard CCOSSL_EVP_PKEY_CTX_set_rsa_padding(ctx, CCOSSL_RSA_PKCS1_PADDING()) == 1 else { throw OpenSSL.fail(.operationFailed, "set padding") }
    case let .pss(salt, mgf):
        // The salt comes from a card's or file's parameters: checked before it becomes a C int.
        guard RSAPadding.pssSaltLengths.contains(salt), let salt32 = Int32(exactly: salt) else {
            throw CryptoError(.unsupportedAlgorithm, "PSS salt length \(salt)")
        }
        guard CCOSSL_EVP_PKEY_CTX_set_rsa_padding(ctx, CCOSSL_RSA_PKCS1_PSS_PADDING()) == 1,
              CCOSSL_EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt32) == 1,
              CCOSSL_EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, evpMD(mgf)) == 1 else { throw OpenSSL.fail(.operationFailed, "set PSS parameters") }
    }
    guard CCOSSL_EVP_PKEY_CTX_set_signature_md(ctx, evpMD(hash)) == 1 else { throw OpenSSL.fail(.operationFailed, "set signature digest") }
}

func evpMD(_ h: HashAlgorithm) -> OpaquePointer? {
    switch h {
    case .sha1: return EVP_sha1()
    case .sha224: return EVP_sha224()
    case .sha256: return EVP_sha256()
    case .sha384: return EVP_sha384()
    case .sha512: return EVP_sha512()
    }
}

/// An RSA private key. Generated deterministically from a seed for reproducible test PKIs.
public struct RSAPrivateKey: Sendable {
    public let publicKey: RSAPublicKey
    let d: [UInt8]
    let p: [UInt8]
    let q: [UInt8]

    /// Deterministic key: primes are the first probable primes at or after seed-derived odd
    /// numbers with the top two bits set (so p·q has exactly `bits` bits); e = 65537.
    public init(bits: Int, seed: [UInt8]) throws {
        guard bits >= 1024, bits % 16 == 0 else { throw CryptoError(.invalidParameters, "RSA key size \(bits)") }
        let half = bits / 2
        let e: [UInt8] = [0x01, 0x00, 0x01]
        let p = try RSAPrivateKey.prime(bits: half, seed: seed + Array("p".utf8), e: e)
        var q = try RSAPrivateKey.prime(bits: half, seed: seed + Array("q".utf8), e: e)
        var salt: UInt8 = 0
        while q == p {
            salt += 1
            q = try RSAPrivateKey.prime(bits: half, seed: seed + Array("q".utf8) + [salt], e: e)
        }
        let handle = try RSAKeyHandle.derive(p: p, q: q, e: e)
        publicKey = RSAPublicKey(modulus: handle.n, exponent: e)
        d = handle.d
        self.p = p
        self.q = q
    }

    static func prime(bits: Int, seed: [UInt8], e: [UInt8]) throws -> [UInt8] {
        var material = [UInt8]()
        var counter: UInt8 = 0
        while material.count * 8 < bits {
            material += HashAlgorithm.sha512.hash(seed + [counter])
            counter += 1
        }
        var candidate = Array(material.prefix(bits / 8))
        candidate[0] |= 0xC0
        candidate[candidate.count - 1] |= 0x01
        let bn = BigNumber(candidate)
        let ctx = BigNumberContext()
        let eBN = BigNumber(e)
        let gcd = BigNumber(), pm1 = BigNumber()
        for _ in 0..<100_000 {
            if BN_check_prime(bn.raw, ctx.raw, nil) == 1 {
                BN_copy(pm1.raw, bn.raw)
                BN_sub_word(pm1.raw, 1)
                BN_gcd(gcd.raw, pm1.raw, eBN.raw, ctx.raw)
                if BN_is_one(gcd.raw) == 1 { return bn.bytes() }
            }
            BN_add_word(bn.raw, 2)
        }
        throw CryptoError(.operationFailed, "no prime found")
    }

    /// Signs a digest.
    public func sign(digest: [UInt8], hash: HashAlgorithm, padding: RSAPadding) throws -> [UInt8] {
        let handle = try RSAKeyHandle(n: publicKey.modulus, e: publicKey.exponent, d: d, p: p, q: q)
        defer { withExtendedLifetime(handle) {} }
        let pkey = handle.evp
        guard let ctx = EVP_PKEY_CTX_new(pkey, nil) else { throw OpenSSL.fail(.operationFailed, "EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_sign_init(ctx) == 1 else { throw OpenSSL.fail(.operationFailed, "EVP_PKEY_sign_init") }
        try configure(ctx, hash: hash, padding: padding)
        var len = 0
        guard digest.withUnsafeBufferPointer({ EVP_PKEY_sign(ctx, nil, &len, $0.baseAddress, $0.count) }) == 1 else {
            throw OpenSSL.fail(.operationFailed, "EVP_PKEY_sign")
        }
        var out = [UInt8](repeating: 0, count: len)
        guard digest.withUnsafeBufferPointer({ EVP_PKEY_sign(ctx, &out, &len, $0.baseAddress, $0.count) }) == 1 else {
            throw OpenSSL.fail(.operationFailed, "EVP_PKEY_sign")
        }
        return Array(out.prefix(len))
    }

    /// The raw private operation m^d mod n (ISO/IEC 9796-2 signatures for Active Authentication).
    public func rawPrivate(_ input: [UInt8]) throws -> [UInt8] {
        guard ModularArithmetic.compare(input, publicKey.modulus) < 0 else { throw CryptoError(.invalidInput, "RSA input not below the modulus") }
        return try ModularArithmetic.modExp(input, d, publicKey.modulus)
    }
}

/// Builds OpenSSL RSA keys from components.
final class RSAKeyHandle {
    let evp: OpaquePointer

    init(n: [UInt8], e: [UInt8], d: [UInt8]?, p: [UInt8]?, q: [UInt8]?) throws {
        guard let rsa = RSA_new() else { throw OpenSSL.fail(.operationFailed, "RSA_new") }
        let bn = BN_bin2bn(n, Int32(clamping: n.count), nil), be = BN_bin2bn(e, Int32(clamping: e.count), nil)
        let bd = d.map { BN_bin2bn($0, Int32(clamping: $0.count), nil) } ?? nil
        guard RSA_set0_key(rsa, bn, be, bd) == 1 else { RSA_free(rsa); throw OpenSSL.fail(.invalidKey, "RSA_set0_key") }
        if let p, let q, let d {
            // Private keys only (the simulator's own generated keys, never card data); the `!`s fail
            // only when OpenSSL cannot allocate.
            let bp = BN_bin2bn(p, Int32(p.count), nil)!, bq = BN_bin2bn(q, Int32(q.count), nil)!
            let ctx = BigNumberContext()
            let dBN = BigNumber(d)
            let dmp1 = BN_new()!, dmq1 = BN_new()!, iqmp = BN_new()!
            let pm1 = BN_dup(bp)!, qm1 = BN_dup(bq)!
            BN_sub_word(pm1, 1)
            BN_sub_word(qm1, 1)
            BN_div(nil, dmp1, dBN.raw, pm1, ctx.raw)
            BN_div(nil, dmq1, dBN.raw, qm1, ctx.raw)
            BN_mod_inverse(iqmp, bq, bp, ctx.raw)
            BN_free(pm1)
            BN_free(qm1)
            RSA_set0_factors(rsa, bp, bq)
            RSA_set0_crt_params(rsa, dmp1, dmq1, iqmp)
        }
        guard let pkey = EVP_PKEY_new() else { RSA_free(rsa); throw OpenSSL.fail(.operationFailed, "EVP_PKEY_new") }
        guard EVP_PKEY_assign(pkey, EVP_PKEY_RSA, UnsafeMutableRawPointer(rsa)) == 1 else {
            RSA_free(rsa)
            EVP_PKEY_free(pkey)
            throw OpenSSL.fail(.invalidKey, "EVP_PKEY_assign")
        }
        evp = pkey
    }

    /// n = p·q and d = e⁻¹ mod lcm(p-1, q-1).
    static func derive(p: [UInt8], q: [UInt8], e: [UInt8]) throws -> (n: [UInt8], d: [UInt8]) {
        let ctx = BigNumberContext()
        let bp = BigNumber(p), bq = BigNumber(q), be = BigNumber(e)
        let n = BigNumber(), pm1 = BigNumber(), qm1 = BigNumber(), phi = BigNumber(), g = BigNumber(), l = BigNumber(), d = BigNumber()
        BN_mul(n.raw, bp.raw, bq.raw, ctx.raw)
        BN_copy(pm1.raw, bp.raw); BN_sub_word(pm1.raw, 1)
        BN_copy(qm1.raw, bq.raw); BN_sub_word(qm1.raw, 1)
        BN_mul(phi.raw, pm1.raw, qm1.raw, ctx.raw)
        BN_gcd(g.raw, pm1.raw, qm1.raw, ctx.raw)
        BN_div(l.raw, nil, phi.raw, g.raw, ctx.raw)
        guard BN_mod_inverse(d.raw, be.raw, l.raw, ctx.raw) != nil else { throw OpenSSL.fail(.operationFailed, "BN_mod_inverse") }
        return (n.bytes(), d.bytes())
    }

    deinit { EVP_PKEY_free(evp) }
}
