internal import COpenSSL

/// An owned OpenSSL BIGNUM. Internal: the facade's public API speaks big-endian byte arrays.
final class BigNumber {
    let raw: OpaquePointer

    /// OpenSSL's allocators (BN_new and friends, implicitly unwrapped here and in the facade)
    /// return NULL only when memory is exhausted; no input reaches that.
    init() { raw = BN_new() }

    init(_ bytes: [UInt8]) {
        // Clamped, never trapping: no key or parameter comes near 2 GiB, and a value that did would
        // only be wrong (and then fail the caller's own checks), not a crash.
        raw = bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(clamping: $0.count), nil) } ?? BN_new()
    }

    init(word: UInt) {
        raw = BN_new()
        BN_set_word(raw, word)
    }

    /// Takes ownership of a BIGNUM returned by OpenSSL.
    init(owning raw: OpaquePointer) { self.raw = raw }

    deinit { BN_clear_free(raw) }

    var byteCount: Int { Int((BN_num_bits(raw) + 7) / 8) }
    var isZero: Bool { BN_is_zero(raw) == 1 }

    /// Big-endian, left-padded with zeros to `width` bytes (never shorter than the value).
    func bytes(width: Int = 0) -> [UInt8] {
        let n = byteCount
        var out = [UInt8](repeating: 0, count: max(width, n))
        guard n > 0 else { return out }  // zero: nothing to copy (and an empty buffer has no address)
        out.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            _ = BN_bn2bin(raw, base + (p.count - n))
        }
        return out
    }

    func compare(_ other: BigNumber) -> Int32 { BN_cmp(raw, other.raw) }
}

/// A BN_CTX for one operation's temporaries.
final class BigNumberContext {
    let raw: OpaquePointer
    init() { raw = BN_CTX_new() }
    deinit { BN_CTX_free(raw) }
}

/// Modular arithmetic the facade exposes for DH mapping and RSA-free checks.
public enum ModularArithmetic {
    /// The largest modulus exponentiation accepts: OpenSSL's RSA limit (16384 bits). A key or group
    /// from a card or file above it is refused rather than left to compute for minutes.
    public static let maximumModulusBits = 16_384

    /// base^exponent mod modulus, as a big-endian array left-padded to the modulus width.
    public static func modExp(_ base: [UInt8], _ exponent: [UInt8], _ modulus: [UInt8]) throws -> [UInt8] {
        let b = BigNumber(base), e = BigNumber(exponent), m = BigNumber(modulus), r = BigNumber()
        let ctx = BigNumberContext()
        guard m.byteCount * 8 <= maximumModulusBits, e.byteCount * 8 <= maximumModulusBits else {
            throw CryptoError(.invalidParameters, "modulus or exponent above \(maximumModulusBits) bits")
        }
        guard !m.isZero, BN_mod_exp(r.raw, b.raw, e.raw, m.raw, ctx.raw) == 1 else {
            throw OpenSSL.fail(.operationFailed, "BN_mod_exp")
        }
        return r.bytes(width: m.byteCount)
    }

    /// a * b mod modulus.
    public static func modMul(_ a: [UInt8], _ b: [UInt8], _ modulus: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), y = BigNumber(b), m = BigNumber(modulus), r = BigNumber()
        let ctx = BigNumberContext()
        guard !m.isZero, BN_mod_mul(r.raw, x.raw, y.raw, m.raw, ctx.raw) == 1 else {
            throw OpenSSL.fail(.operationFailed, "BN_mod_mul")
        }
        return r.bytes(width: m.byteCount)
    }

    /// a mod m.
    public static func mod(_ a: [UInt8], _ m: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), n = BigNumber(m), r = BigNumber()
        let ctx = BigNumberContext()
        guard !n.isZero, BN_div(nil, r.raw, x.raw, n.raw, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_mod") }
        return r.bytes(width: n.byteCount)
    }

    static func subtractOne(_ a: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a)
        guard BN_sub_word(x.raw, 1) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_sub_word") }
        return x.bytes(width: a.count)
    }

    static func addOne(_ a: [UInt8], width: Int) throws -> [UInt8] {
        let x = BigNumber(a)
        guard BN_add_word(x.raw, 1) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_add_word") }
        return x.bytes(width: width)
    }

    /// a⁻¹ mod m, left-padded to the modulus width.
    public static func inverse(_ a: [UInt8], _ m: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), n = BigNumber(m), r = BigNumber()
        let ctx = BigNumberContext()
        guard BN_mod_inverse(r.raw, x.raw, n.raw, ctx.raw) != nil else { throw OpenSSL.fail(.invalidInput, "no modular inverse") }
        return r.bytes(width: n.byteCount)
    }

    /// a + b.
    public static func add(_ a: [UInt8], _ b: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), y = BigNumber(b), r = BigNumber()
        guard BN_add(r.raw, x.raw, y.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_add") }
        return r.bytes()
    }

    /// ⌊a / b⌋.
    public static func divide(_ a: [UInt8], _ b: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), y = BigNumber(b), q = BigNumber()
        let ctx = BigNumberContext()
        guard !y.isZero, BN_div(q.raw, nil, x.raw, y.raw, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_div") }
        return q.bytes()
    }

    /// a − b for a ≥ b.
    public static func subtract(_ a: [UInt8], _ b: [UInt8]) throws -> [UInt8] {
        let x = BigNumber(a), y = BigNumber(b), r = BigNumber()
        guard BN_sub(r.raw, x.raw, y.raw) == 1, BN_is_negative(r.raw) == 0 else { throw CryptoError(.invalidInput, "negative difference") }
        return r.bytes()
    }

    /// OpenSSL's probabilistic primality test (BN_check_prime, error probability below 2^-128).
    public static func isProbablePrime(_ a: [UInt8]) -> Bool {
        let x = BigNumber(a), ctx = BigNumberContext()
        return BN_check_prime(x.raw, ctx.raw, nil) == 1
    }

    /// Compares two unsigned big-endian integers.
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        Int(BigNumber(a).compare(BigNumber(b)))
    }

    /// A uniformly random integer in [1, upperBound - 1], left-padded to the bound's width.
    public static func randomBelow(_ upperBound: [UInt8]) throws -> [UInt8] {
        let bound = BigNumber(upperBound), r = BigNumber()
        repeat {
            guard BN_rand_range(r.raw, bound.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_rand_range") }
        } while r.isZero
        return r.bytes(width: bound.byteCount)
    }
}
