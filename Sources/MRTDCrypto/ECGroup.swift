internal import COpenSSL

/// Domain parameters of a prime curve as plain bytes: what PACEDomainParameterInfo, explicit
/// certificate parameters and DG14 keys carry.
public struct ECDomainParameters: Hashable, Sendable {
    public var p: [UInt8]
    public var a: [UInt8]
    public var b: [UInt8]
    public var generator: ECPoint
    public var order: [UInt8]
    public var cofactor: [UInt8]

    public init(p: [UInt8], a: [UInt8], b: [UInt8], generator: ECPoint, order: [UInt8], cofactor: [UInt8]) {
        self.p = p
        self.a = a
        self.b = b
        self.generator = generator
        self.order = order
        self.cofactor = cofactor
    }
}

/// A prime-field elliptic-curve group with the arithmetic PACE, CA and ECDH need, including
/// groups with a mapped generator (PACE Generic Mapping) and explicit parameters.
public final class ECGroup: @unchecked Sendable {
    let raw: OpaquePointer
    /// Bytes of a field element (coordinate width).
    public let fieldSize: Int
    /// The group order, big-endian.
    public let order: [UInt8]
    /// The named curve this group is, when it is one (nil for explicit or mapped groups).
    public let namedCurve: NamedCurve?

    private init(owning raw: OpaquePointer, namedCurve: NamedCurve?) {
        self.raw = raw
        self.namedCurve = namedCurve
        fieldSize = Int((EC_GROUP_get_degree(raw) + 7) / 8)
        let n = BigNumber()
        EC_GROUP_get_order(raw, n.raw, nil)
        order = n.bytes()
    }

    deinit { EC_GROUP_free(raw) }

    /// The largest prime field accepted for explicit parameters (OpenSSL's OPENSSL_ECC_MAX_FIELD_BITS).
    public static let maximumFieldBits: Int32 = 661

    public convenience init(_ curve: NamedCurve) throws {
        guard let g = EC_GROUP_new_by_curve_name(curve.nid) else { throw OpenSSL.fail(.invalidParameters, "curve \(curve)") }
        self.init(owning: g, namedCurve: curve)
    }

    /// A group from explicit parameters. Checks the generator is on the curve and has the order.
    public convenience init(explicit d: ECDomainParameters) throws {
        let ctx = BigNumberContext()
        let p = BigNumber(d.p), a = BigNumber(d.a), b = BigNumber(d.b)
        // OpenSSL's own limit for curves it decodes (OPENSSL_ECC_MAX_FIELD_BITS); explicit
        // parameters from a card or certificate above it would make every operation crawl.
        guard BN_num_bits(p.raw) <= ECGroup.maximumFieldBits else {
            throw CryptoError(.invalidParameters, "field of \(BN_num_bits(p.raw)) bits exceeds \(ECGroup.maximumFieldBits)")
        }
        guard let g = EC_GROUP_new_curve_GFp(p.raw, a.raw, b.raw, ctx.raw) else {
            throw OpenSSL.fail(.invalidParameters, "EC_GROUP_new_curve_GFp")
        }
        let fieldSize = Int((EC_GROUP_get_degree(g) + 7) / 8)
        guard d.generator.x.count <= fieldSize + 1, d.generator.y.count <= fieldSize + 1 else {
            EC_GROUP_free(g)
            throw CryptoError(.invalidParameters, "generator wider than the field")
        }
        guard let gen = ECGroup.makePoint(group: g, x: d.generator.x, y: d.generator.y, ctx: ctx) else {
            EC_GROUP_free(g)
            throw CryptoError(.invalidPoint, "explicit generator is not on the curve")
        }
        defer { EC_POINT_free(gen) }
        let n = BigNumber(d.order), h = BigNumber(d.cofactor.isEmpty ? [1] : d.cofactor)
        guard !n.isZero, EC_GROUP_set_generator(g, gen, n.raw, h.raw) == 1 else {
            EC_GROUP_free(g)
            throw OpenSSL.fail(.invalidParameters, "EC_GROUP_set_generator")
        }
        // Recognise a standard curve given explicitly (the Vietnamese CSCA's brainpoolP512r1).
        let given = ECGroup.readParameters(g, ctx: ctx)
        self.init(owning: g, namedCurve: ECGroup.namedParameters.first { $0.1 == given }?.0)
    }

    /// Every named curve's parameters, computed once: explicit parameters are matched against them.
    private static let namedParameters: [(NamedCurve, ECDomainParameters)] = NamedCurve.allCases.compactMap { c in
        (try? ECGroup(c)).map { (c, $0.parameters) }
    }

    /// This group's parameters.
    public var parameters: ECDomainParameters { ECGroup.readParameters(raw, ctx: BigNumberContext()) }

    private static func readParameters(_ g: OpaquePointer, ctx: BigNumberContext) -> ECDomainParameters {
        let p = BigNumber(), a = BigNumber(), b = BigNumber(), n = BigNumber(), h = BigNumber()
        EC_GROUP_get_curve(g, p.raw, a.raw, b.raw, ctx.raw)
        EC_GROUP_get_order(g, n.raw, ctx.raw)
        EC_GROUP_get_cofactor(g, h.raw, ctx.raw)
        let width = p.byteCount
        let gx = BigNumber(), gy = BigNumber()
        EC_POINT_get_affine_coordinates(g, EC_GROUP_get0_generator(g), gx.raw, gy.raw, ctx.raw)
        return ECDomainParameters(
            p: p.bytes(width: width), a: a.bytes(width: width), b: b.bytes(width: width),
            generator: ECPoint(x: gx.bytes(width: width), y: gy.bytes(width: width)),
            order: n.bytes(), cofactor: h.bytes())
    }

    /// The generator.
    public var generator: ECPoint { parameters.generator }

    /// The same curve with another generator (PACE Generic Mapping's G~ = s·G + H).
    public func withGenerator(_ g: ECPoint) throws -> ECGroup {
        guard let copy = EC_GROUP_dup(raw) else { throw OpenSSL.fail(.operationFailed, "EC_GROUP_dup") }
        let ctx = BigNumberContext()
        guard let gen = ECGroup.makePoint(group: copy, x: g.x, y: g.y, ctx: ctx) else {
            EC_GROUP_free(copy)
            throw CryptoError(.invalidPoint, "mapped generator is not on the curve")
        }
        defer { EC_POINT_free(gen) }
        let n = BigNumber(), h = BigNumber()
        EC_GROUP_get_order(raw, n.raw, ctx.raw)
        EC_GROUP_get_cofactor(raw, h.raw, ctx.raw)
        guard EC_GROUP_set_generator(copy, gen, n.raw, h.raw) == 1 else {
            EC_GROUP_free(copy)
            throw OpenSSL.fail(.invalidParameters, "EC_GROUP_set_generator")
        }
        return ECGroup(owning: copy, namedCurve: nil)
    }

    /// Validates a point: on the curve, not the point at infinity.
    public func validate(_ point: ECPoint) throws {
        let ctx = BigNumberContext()
        guard let p = ECGroup.makePoint(group: raw, x: point.x, y: point.y, ctx: ctx) else {
            throw CryptoError(.invalidPoint, "point is not on the curve")
        }
        EC_POINT_free(p)
    }

    /// Parses and validates an uncompressed point.
    public func point(uncompressed bytes: [UInt8]) throws -> ECPoint {
        let pt = try ECPoint(uncompressed: bytes, fieldSize: fieldSize)
        try validate(pt)
        return pt
    }

    /// scalar · point.
    public func multiply(_ point: ECPoint, by scalar: [UInt8]) throws -> ECPoint {
        let ctx = BigNumberContext()
        guard let p = ECGroup.makePoint(group: raw, x: point.x, y: point.y, ctx: ctx) else {
            throw CryptoError(.invalidPoint, "point is not on the curve")
        }
        defer { EC_POINT_free(p) }
        guard let r = EC_POINT_new(raw) else { throw OpenSSL.fail(.operationFailed, "EC_POINT_new") }
        defer { EC_POINT_free(r) }
        let k = BigNumber(scalar)
        guard EC_POINT_mul(raw, r, nil, p, k.raw, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "EC_POINT_mul") }
        return try affine(r, ctx)
    }

    /// scalar · G.
    public func multiplyGenerator(by scalar: [UInt8]) throws -> ECPoint {
        let ctx = BigNumberContext()
        guard let r = EC_POINT_new(raw) else { throw OpenSSL.fail(.operationFailed, "EC_POINT_new") }
        defer { EC_POINT_free(r) }
        let k = BigNumber(scalar)
        guard EC_POINT_mul(raw, r, k.raw, nil, nil, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "EC_POINT_mul") }
        return try affine(r, ctx)
    }

    /// a + b.
    public func add(_ a: ECPoint, _ b: ECPoint) throws -> ECPoint {
        let ctx = BigNumberContext()
        guard let pa = ECGroup.makePoint(group: raw, x: a.x, y: a.y, ctx: ctx),
              let pb = ECGroup.makePoint(group: raw, x: b.x, y: b.y, ctx: ctx) else {
            throw CryptoError(.invalidPoint, "point is not on the curve")
        }
        defer { EC_POINT_free(pa); EC_POINT_free(pb) }
        guard let r = EC_POINT_new(raw) else { throw OpenSSL.fail(.operationFailed, "EC_POINT_new") }
        defer { EC_POINT_free(r) }
        guard EC_POINT_add(raw, r, pa, pb, ctx.raw) == 1 else { throw OpenSSL.fail(.operationFailed, "EC_POINT_add") }
        return try affine(r, ctx)
    }

    /// A fresh private key in [1, n-1], at the order's width.
    public func randomPrivateKey() throws -> [UInt8] {
        try ModularArithmetic.randomBelow(order)
    }

    /// ECDH: the x coordinate of privateKey · peer, at the field's full width.
    public func sharedSecret(privateKey: [UInt8], peer: ECPoint) throws -> [UInt8] {
        try multiply(peer, by: privateKey).x
    }

    private func affine(_ p: OpaquePointer, _ ctx: BigNumberContext) throws -> ECPoint {
        guard EC_POINT_is_at_infinity(raw, p) == 0 else { throw CryptoError(.invalidPoint, "result is the point at infinity") }
        let x = BigNumber(), y = BigNumber()
        guard EC_POINT_get_affine_coordinates(raw, p, x.raw, y.raw, ctx.raw) == 1 else {
            throw OpenSSL.fail(.operationFailed, "EC_POINT_get_affine_coordinates")
        }
        return ECPoint(x: x.bytes(width: fieldSize), y: y.bytes(width: fieldSize))
    }

    /// A validated EC_POINT, or nil when (x, y) is not on the curve or is infinity.
    static func makePoint(group: OpaquePointer, x: [UInt8], y: [UInt8], ctx: BigNumberContext) -> OpaquePointer? {
        guard let p = EC_POINT_new(group) else { return nil }
        let bx = BigNumber(x), by = BigNumber(y)
        guard EC_POINT_set_affine_coordinates(group, p, bx.raw, by.raw, ctx.raw) == 1,
              EC_POINT_is_on_curve(group, p, ctx.raw) == 1,
              EC_POINT_is_at_infinity(group, p) == 0 else {
            ERR_clear_error()
            EC_POINT_free(p)
            return nil
        }
        return p
    }
}
