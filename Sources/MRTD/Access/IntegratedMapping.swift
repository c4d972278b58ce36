import MRTDCrypto

/// PACE Integrated Mapping (ICAO 9303-11 §4.4.3.3.2 and Appendix B): the generator comes from a
/// pseudo-random function of both nonces, encoded onto the group — no extra key exchange.
public enum IntegratedMapping {
    /// The constants c0, c1 of the pseudo-random number mapping for 128-bit blocks.
    static let c0: [UInt8] = [0xA6, 0x68, 0x89, 0x2A, 0x7C, 0x41, 0xE3, 0xCA, 0x73, 0x9F, 0x40, 0xB0, 0x57, 0xD8, 0x59, 0x04]
    static let c1: [UInt8] = [0xA4, 0xE1, 0x36, 0xAC, 0x72, 0x5F, 0x73, 0x8B, 0x01, 0xC1, 0xF6, 0x02, 0x17, 0xC1, 0x88, 0xAD]

    /// R(s, t) for AES-128: key₀ = E(t, s); then keyᵢ₊₁ = E(keyᵢ, c0) and xᵢ = E(keyᵢ, c1) for
    /// n = ⌈(log₂ p + 64) / 128⌉ blocks; the output is x₀ ‖ … ‖ xₙ₋₁.
    public static func pseudoRandom(s: [UInt8], t: [UInt8], primeBits: Int) throws -> [UInt8] {
        guard s.count == 16, t.count == 16 else {
            throw MRTDError.unsupported("Integrated Mapping is implemented for AES-128 (16-byte nonces)")
        }
        let n = (primeBits + 64 + 127) / 128
        var key = try AESCipher.encryptBlock(key: t, s)
        var out = [UInt8]()
        for _ in 0..<n {
            let next = try AESCipher.encryptBlock(key: key, c0)
            out += try AESCipher.encryptBlock(key: key, c1)
            key = next
        }
        return out
    }

    /// Appendix B point encoding f_G(t) in affine coordinates, for p ≡ 3 mod 4.
    public static func encode(_ tValue: [UInt8], on group: ECGroup) throws -> ECPoint {
        let d = group.parameters
        let p = d.p, a = d.a, b = d.b
        typealias M = ModularArithmetic
        func mul(_ x: [UInt8], _ y: [UInt8]) throws -> [UInt8] { try M.modMul(x, y, p) }
        func add(_ x: [UInt8], _ y: [UInt8]) throws -> [UInt8] { try M.mod(try M.add(x, y), p) }
        func neg(_ x: [UInt8]) throws -> [UInt8] { M.compare(x, [0]) == 0 ? x : try M.subtract(p, try M.mod(x, p)) }
        func pow(_ x: [UInt8], _ e: [UInt8]) throws -> [UInt8] { try M.modExp(x, e, p) }
        let t = try M.mod(tValue, p)
        let alpha = try neg(try mul(t, t))
        let alphaPlusSquare = try add(alpha, try mul(alpha, alpha))
        let pMinus2 = try M.subtract(p, [2])
        let x2 = try mul(try mul(try neg(b), try add([1], alphaPlusSquare)), try pow(try mul(a, alphaPlusSquare), pMinus2))
        let x3 = try mul(alpha, x2)
        let h2 = try add(try add(try pow(x2, [3]), try mul(a, x2)), b)
        let u = try mul(try pow(t, [3]), h2)
        let quarter = try M.divide(try M.add(p, [1]), [4])
        let exponent = try M.subtract(try M.subtract(p, [1]), quarter)
        let aValue = try pow(h2, exponent)
        let point: ECPoint
        let width = group.fieldSize
        func fit(_ v: [UInt8]) -> [UInt8] { let t = Array(v.drop { $0 == 0 }); return [UInt8](repeating: 0, count: max(0, width - t.count)) + t }
        if M.compare(try mul(try mul(aValue, aValue), h2), [1]) == 0 {
            point = ECPoint(x: fit(x2), y: fit(try mul(aValue, h2)))
        } else {
            point = ECPoint(x: fit(x3), y: fit(try mul(aValue, u)))
        }
        try group.validate(point)
        if M.compare(d.cofactor, [1]) != 0 { return try group.multiply(point, by: d.cofactor) }
        return point
    }

    /// The mapped EC group: G~ = f_G(R(s, t) mod p).
    public static func map(s: [UInt8], t: [UInt8], group: ECGroup) throws -> ECGroup {
        let p = group.parameters.p
        let r = try ModularArithmetic.mod(try pseudoRandom(s: s, t: t, primeBits: bitLength(p)), p)
        return try group.withGenerator(try encode(r, on: group))
    }

    /// The mapped DH group: g~ = (R(s, t) mod p)^((p−1)/q) mod p, which must not be 1.
    public static func map(s: [UInt8], t: [UInt8], group: DHGroup) throws -> DHGroup {
        let r = try ModularArithmetic.mod(try pseudoRandom(s: s, t: t, primeBits: bitLength(group.p)), group.p)
        let j = try ModularArithmetic.divide(try ModularArithmetic.subtract(group.p, [1]), group.q)
        let g = try ModularArithmetic.modExp(r, j, group.p)
        guard ModularArithmetic.compare(g, [1]) != 0 else { throw MRTDError.protocolViolation("integrated mapping produced the trivial generator") }
        return DHGroup(p: group.p, g: g, q: group.q)
    }

    static func bitLength(_ v: [UInt8]) -> Int {
        let t = v.drop { $0 == 0 }
        guard let first = t.first else { return 0 }
        return t.count * 8 - first.leadingZeroBitCount
    }
}
