internal import COpenSSL

/// What explicit domain parameters must meet before PACE uses them.
///
/// A card's EF.CardAccess may carry its own curve or DH group (PACEDomainParameterInfo). A hostile
/// or cloned card could offer a weak one — a small or anomalous curve, a composite modulus, a
/// generator of small order — so that the password-derived exchange leaks or can be forged. Each
/// check below is done with OpenSSL's own primitives (BN_check_prime, EC_GROUP_check_discriminant,
/// point multiplication), never by hand.
public struct DomainParameterPolicy: Hashable, Sendable {
    /// Smallest EC group order accepted (BSI TR-03116 asks for 224 bits or more).
    public var minimumECOrderBits = 224
    /// Largest field accepted: OpenSSL's own limit, which also bounds the cost of the checks.
    public var maximumECFieldBits = Int(ECGroup.maximumFieldBits)
    /// Largest cofactor accepted; every curve eMRTDs use has cofactor 1.
    public var maximumCofactor: UInt = 4
    /// DH modulus bounds: the smallest standardized PACE group (RFC 5114 1024-bit) up to a size
    /// whose primality test still takes well under a second.
    public var minimumDHModulusBits = 1024
    public var maximumDHModulusBits = 4096
    /// Smallest DH subgroup order accepted (RFC 5114's 1024-bit group has a 160-bit q).
    public var minimumDHOrderBits = 160

    public init() {}

    public static let standard = DomainParameterPolicy()
}

extension ECDomainParameters {
    /// Throws `CryptoError(.weakParameters, reason)` unless these are a sound prime-order curve:
    /// p prime, a, b and G below p, the curve non-singular (4a³ + 27b² ≠ 0 mod p), G on the curve
    /// with n·G = ∞, n prime and at least `minimumECOrderBits`, n ≠ p (anomalous), a small cofactor
    /// h with h·n within the Hasse bound of p + 1 (so h·n is the curve's real number of points).
    public func check(_ policy: DomainParameterPolicy = .standard) throws {
        let ctx = BigNumberContext()
        let p = BigNumber(self.p), a = BigNumber(self.a), b = BigNumber(self.b)
        let n = BigNumber(order), h = BigNumber(cofactor.isEmpty ? [1] : cofactor)
        let gx = BigNumber(generator.x), gy = BigNumber(generator.y)

        let fieldBits = Int(BN_num_bits(p.raw)), orderBits = Int(BN_num_bits(n.raw))
        guard fieldBits >= 3, fieldBits <= policy.maximumECFieldBits else { throw weak("field of \(fieldBits) bits") }
        guard orderBits >= policy.minimumECOrderBits else {
            throw weak("group order of \(orderBits) bits is below \(policy.minimumECOrderBits)")
        }
        guard BN_check_prime(p.raw, ctx.raw, nil) == 1 else { throw weak("field modulus p is not prime") }
        for (v, name) in [(a, "a"), (b, "b"), (gx, "generator x"), (gy, "generator y")] where v.compare(p) >= 0 {
            throw weak("\(name) is not below p")
        }
        guard BN_check_prime(n.raw, ctx.raw, nil) == 1 else { throw weak("group order n is not prime") }
        guard n.compare(p) != 0 else { throw weak("anomalous curve (n = p)") }
        guard !h.isZero, BN_num_bits(h.raw) <= 64, BN_get_word(h.raw) <= policy.maximumCofactor else {
            throw weak("cofactor is not between 1 and \(policy.maximumCofactor)")
        }
        try checkHasse(p: p, n: n, h: h, ctx)

        guard let g = EC_GROUP_new_curve_GFp(p.raw, a.raw, b.raw, ctx.raw) else {
            ERR_clear_error()
            throw weak("OpenSSL refuses the curve")
        }
        defer { EC_GROUP_free(g) }
        guard EC_GROUP_check_discriminant(g, ctx.raw) == 1 else {
            ERR_clear_error()
            throw weak("curve is singular (4a³ + 27b² = 0 mod p)")
        }
        guard let gen = ECGroup.makePoint(group: g, x: generator.x, y: generator.y, ctx: ctx) else {
            throw weak("generator is not on the curve")
        }
        defer { EC_POINT_free(gen) }
        guard EC_GROUP_set_generator(g, gen, n.raw, h.raw) == 1, let r = EC_POINT_new(g) else {
            ERR_clear_error()
            throw weak("OpenSSL refuses the generator")
        }
        defer { EC_POINT_free(r) }
        // n·G + 0·G: with two terms OpenSSL multiplies by n as given (a lone scalar would be
        // blinded with multiples of the claimed h·n, which is what is being checked).
        let zero = BigNumber(word: 0)
        guard EC_POINT_mul(g, r, n.raw, gen, zero.raw, ctx.raw) == 1 else {
            ERR_clear_error()
            throw weak("n·G cannot be computed")
        }
        guard EC_POINT_is_at_infinity(g, r) == 1 else { throw weak("generator does not have order n") }
    }

    /// Hasse: |h·n − (p + 1)| ≤ 2√p, checked squared as (h·n − p − 1)² ≤ 4p.
    private func checkHasse(p: BigNumber, n: BigNumber, h: BigNumber, _ ctx: BigNumberContext) throws {
        let hn = BigNumber(), d = BigNumber(), d2 = BigNumber(), p4 = BigNumber(), p1 = BigNumber()
        guard BN_mul(hn.raw, h.raw, n.raw, ctx.raw) == 1, BN_copy(p1.raw, p.raw) != nil, BN_add_word(p1.raw, 1) == 1,
              BN_sub(d.raw, hn.raw, p1.raw) == 1, BN_sqr(d2.raw, d.raw, ctx.raw) == 1, BN_lshift(p4.raw, p.raw, 2) == 1 else {
            throw OpenSSL.fail(.operationFailed, "Hasse bound")
        }
        guard d2.compare(p4) <= 0 else { throw weak("h·n is not within the Hasse bound of p + 1") }
    }
}

extension DHGroup {
    /// Throws `CryptoError(.weakParameters, reason)` unless p is a prime of a sane size, q is a
    /// prime of at least `minimumDHOrderBits` dividing p − 1, and g (1 < g < p − 1) has order q.
    public func check(_ policy: DomainParameterPolicy = .standard) throws {
        let ctx = BigNumberContext()
        let p = BigNumber(self.p), g = BigNumber(self.g), q = BigNumber(self.q)
        let pBits = Int(BN_num_bits(p.raw)), qBits = Int(BN_num_bits(q.raw))
        guard pBits >= policy.minimumDHModulusBits, pBits <= policy.maximumDHModulusBits else {
            throw weak("DH modulus of \(pBits) bits is outside \(policy.minimumDHModulusBits)-\(policy.maximumDHModulusBits)")
        }
        guard qBits >= policy.minimumDHOrderBits else {
            throw weak(q.isZero ? "DH group without a subgroup order q" : "DH subgroup order of \(qBits) bits")
        }
        guard q.compare(p) < 0 else { throw weak("DH q is not below p") }
        guard BN_check_prime(p.raw, ctx.raw, nil) == 1 else { throw weak("DH modulus p is not prime") }
        guard BN_check_prime(q.raw, ctx.raw, nil) == 1 else { throw weak("DH subgroup order q is not prime") }
        let pm1 = BigNumber(), rem = BigNumber(), one = BigNumber(word: 1), y = BigNumber()
        guard BN_copy(pm1.raw, p.raw) != nil, BN_sub_word(pm1.raw, 1) == 1,
              BN_div(nil, rem.raw, pm1.raw, q.raw, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_div") }
        guard rem.isZero else { throw weak("DH q does not divide p − 1") }
        guard g.compare(one) > 0, g.compare(pm1) < 0 else { throw weak("DH generator is not in 2…p−2") }
        guard BN_mod_exp(y.raw, g.raw, q.raw, p.raw, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "BN_mod_exp") }
        guard y.compare(one) == 0 else { throw weak("DH generator does not have order q") }
    }
}

private func weak(_ reason: String) -> CryptoError { CryptoError(.weakParameters, reason) }
