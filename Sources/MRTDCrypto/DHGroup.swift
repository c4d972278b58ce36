internal import COpenSSL

/// A finite-field Diffie-Hellman group (prime p, generator g, subgroup order q), for PACE and Chip
/// Authentication with DH. Standardized PACE parameters 0–2 are the RFC 5114 groups.
public struct DHGroup: Hashable, Sendable {
    public var p: [UInt8]
    public var g: [UInt8]
    public var q: [UInt8]

    public init(p: [UInt8], g: [UInt8], q: [UInt8]) {
        self.p = p
        self.g = g
        self.q = q
    }

    /// RFC 5114 §2.1–2.3: 1024-bit/160, 2048-bit/224, 2048-bit/256 MODP groups.
    public enum RFC5114: Int, Sendable, CaseIterable { case group1024_160 = 0, group2048_224 = 1, group2048_256 = 2 }

    public init(_ standard: RFC5114) {
        let dh: OpaquePointer
        switch standard {
        case .group1024_160: dh = DH_get_1024_160()
        case .group2048_224: dh = DH_get_2048_224()
        case .group2048_256: dh = DH_get_2048_256()
        }
        defer { DH_free(dh) }
        func bytes(_ bn: OpaquePointer?) -> [UInt8] {
            guard let bn else { return [] }
            let n = Int((BN_num_bits(bn) + 7) / 8)
            var out = [UInt8](repeating: 0, count: n)
            _ = BN_bn2bin(bn, &out)
            return out
        }
        p = bytes(DH_get0_p(dh))
        g = bytes(DH_get0_g(dh))
        q = bytes(DH_get0_q(dh))
    }

    /// Bytes of a group element.
    public var elementSize: Int { p.count }

    /// Private exponents lie below q, or below p for groups published without a subgroup order.
    public var exponentBound: [UInt8] { q.isEmpty ? p : q }

    /// A private exponent in [1, exponentBound).
    public func randomPrivateKey() throws -> [UInt8] { try ModularArithmetic.randomBelow(exponentBound) }

    /// g^x mod p at full width.
    public func publicKey(privateKey x: [UInt8]) throws -> [UInt8] { try ModularArithmetic.modExp(g, x, p) }

    /// peer^x mod p at full width, after checking 1 < peer < p-1 and peer^q = 1.
    public func sharedSecret(privateKey x: [UInt8], peer: [UInt8]) throws -> [UInt8] {
        try validate(peer)
        return try ModularArithmetic.modExp(peer, x, p)
    }

    /// Rejects 0, 1, p-1, values ≥ p, and elements outside the order-q subgroup.
    public func validate(_ y: [UInt8]) throws {
        let one: [UInt8] = [1]
        guard ModularArithmetic.compare(y, one) > 0,
              ModularArithmetic.compare(y, p) < 0,
              ModularArithmetic.compare(try ModularArithmetic.modMul(y, one, p), one) != 0 else {
            throw CryptoError(.invalidPoint, "DH public value out of range")
        }
        var pMinus1 = p
        var i = pMinus1.count - 1
        while i >= 0 { if pMinus1[i] > 0 { pMinus1[i] -= 1; break } else { pMinus1[i] = 0xFF; i -= 1 } }
        guard ModularArithmetic.compare(y, pMinus1) != 0 else { throw CryptoError(.invalidPoint, "DH public value is p-1") }
        if !q.isEmpty {
            guard ModularArithmetic.compare(try ModularArithmetic.modExp(y, q, p), one) == 0 else {
                throw CryptoError(.invalidPoint, "DH public value is not in the order-q subgroup")
            }
        }
    }

    /// DH Generic Mapping: g~ = g^s · h mod p.
    public func mappedGenerator(nonce s: [UInt8], h: [UInt8]) throws -> DHGroup {
        let gs = try ModularArithmetic.modExp(g, s, p)
        let gm = try ModularArithmetic.modMul(gs, h, p)
        return DHGroup(p: p, g: gm, q: q)
    }
}
