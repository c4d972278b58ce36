import MRTDCrypto
import SwiftASN1

/// Domain parameters as they appear in PACEDomainParameterInfo, DG14 and certificates.
public enum DomainParameters: Hashable, Sendable {
    case ec(ECDomainParameters, named: NamedCurve?)
    case dh(DHGroup)

    /// ICAO 9303-11 / BSI TR-03110-3 standardized domain parameters 0–2 and 8–18.
    public static func standardized(_ id: Int) -> DomainParameters? {
        switch id {
        case 0: return .dh(DHGroup(.group1024_160))
        case 1: return .dh(DHGroup(.group2048_224))
        case 2: return .dh(DHGroup(.group2048_256))
        default:
            guard let curve = standardizedCurve(id), let g = try? ECGroup(curve) else { return nil }
            return .ec(g.parameters, named: curve)
        }
    }

    public static func standardizedCurve(_ id: Int) -> NamedCurve? {
        switch id {
        case 8: return .p192
        case 9: return .brainpoolP192r1
        case 10: return .p224
        case 11: return .brainpoolP224r1
        case 12: return .p256
        case 13: return .brainpoolP256r1
        case 14: return .brainpoolP320r1
        case 15: return .p384
        case 16: return .brainpoolP384r1
        case 17: return .brainpoolP512r1
        case 18: return .p521
        default: return nil
        }
    }

    /// Size of the group in bits (the field for EC, the modulus for DH), for ranking offers of the
    /// same kind; PACE ranks ECDH above DH before it looks at size.
    public var strengthBits: Int {
        switch self {
        case .ec(let p, _): return p.p.count * 8
        case .dh(let g): return g.p.count * 8
        }
    }

    public static func == (a: DomainParameters, b: DomainParameters) -> Bool {
        switch (a, b) {
        case let (.ec(x, _), .ec(y, _)): return x == y
        case let (.dh(x), .dh(y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .ec(let p, _): h.combine(0); h.combine(p)
        case .dh(let g): h.combine(1); h.combine(g)
        }
    }
}

/// A public key from DG14, DG15 or a certificate.
public enum PublicKey: Hashable, Sendable {
    /// An EC point (uncompressed encoding) on the given domain.
    case ec(DomainParameters, point: [UInt8])
    case dh(DHGroup, y: [UInt8])
    case rsa(modulus: [UInt8], exponent: [UInt8])

    public var algorithmName: String {
        switch self {
        case .ec(let d, _):
            if case .ec(let p, let named) = d { return "EC \(named?.rawValue ?? "explicit \(p.p.count * 8)-bit")" }
            return "EC"
        case .dh(let g, _): return "DH \(g.p.count * 8)-bit"
        case .rsa(let n, _): return "RSA \(n.drop { $0 == 0 }.count * 8)-bit"
        }
    }
}

/// SubjectPublicKeyInfo (RFC 5280), with its exact encoding kept for hashing and signatures.
public struct SubjectPublicKeyInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let algorithm: String
    public let key: PublicKey

    public init(der: [UInt8], file: String = "SubjectPublicKeyInfo") throws {
        let r = BERReader(file: file)
        try self.init(node: r.parse(der), reader: r)
    }

    init(node: ASN1Node, reader r: BERReader) throws {
        der = Array(node.encodedBytes)
        let top = try r.children(node)
        guard top.count == 2 else { throw LDSError(r.file, "SubjectPublicKeyInfo has \(top.count) elements") }
        let alg = try r.children(top[0], .sequence, "AlgorithmIdentifier")
        guard let first = alg.first else { throw LDSError(r.file, "empty AlgorithmIdentifier") }
        algorithm = try r.oid(first)
        let keyBits = try r.bits(top[1])
        switch algorithm {
        case OID.ecPublicKey:
            guard alg.count == 2 else { throw LDSError(r.file, "EC key without parameters") }
            let domain = try SubjectPublicKeyInfo.ecParameters(alg[1], r)
            guard keyBits.first == 0x04 else { throw LDSError(r.file, "compressed EC points are not supported") }
            key = .ec(domain, point: keyBits)
        case OID.rsaEncryption:
            let rsa = try r.children(try r.parse(keyBits))
            guard rsa.count == 2 else { throw LDSError(r.file, "RSAPublicKey has \(rsa.count) elements") }
            key = .rsa(modulus: try r.unsigned(rsa[0]), exponent: try r.unsigned(rsa[1]))
        case OID.dhPublicNumber, OID.dhKeyAgreement:
            guard alg.count == 2 else { throw LDSError(r.file, "DH key without parameters") }
            let p = try r.children(alg[1])
            guard p.count >= 2 else { throw LDSError(r.file, "DH parameters incomplete") }
            let q = algorithm == OID.dhPublicNumber && p.count >= 3 ? try r.unsigned(p[2]) : []
            let group = DHGroup(p: try r.unsigned(p[0]), g: try r.unsigned(p[1]), q: q)
            key = .dh(group, y: try r.unsigned(try r.parse(keyBits)))
        case OID.standardizedDomainParameters:
            guard alg.count == 2, let d = DomainParameters.standardized(try r.int(alg[1])) else {
                throw LDSError(r.file, "unknown standardized domain parameters")
            }
            switch d {
            case .ec: key = .ec(d, point: keyBits)
            case .dh(let g): key = .dh(g, y: try r.unsigned(try r.parse(keyBits)))
            }
        default:
            throw LDSError(r.file, "unsupported public key algorithm \(algorithm)")
        }
    }

    /// ECParameters: a named curve OID, or the explicit SEQUENCE (version, fieldID, curve, base, order, cofactor).
    static func ecParameters(_ n: ASN1Node, _ r: BERReader) throws -> DomainParameters {
        if n.identifier == .objectIdentifier {
            let o = try r.oid(n)
            guard let c = NamedCurve(oid: o), let g = try? ECGroup(c) else { throw LDSError(r.file, "unknown named curve \(o)") }
            return .ec(g.parameters, named: c)
        }
        let e = try r.children(n, .sequence, "ECParameters")
        guard e.count >= 5 else { throw LDSError(r.file, "ECParameters incomplete") }
        let field = try r.children(e[1], .sequence, "FieldID")
        guard field.count == 2, try r.oid(field[0]) == OID.primeField else { throw LDSError(r.file, "only prime fields are supported") }
        let p = try r.unsigned(field[1])
        let curve = try r.children(e[2], .sequence, "Curve")
        guard curve.count >= 2 else { throw LDSError(r.file, "Curve incomplete") }
        let width = p.count
        func fit(_ b: [UInt8]) -> [UInt8] {
            let t = Array(b.drop { $0 == 0 })
            return [UInt8](repeating: 0, count: max(0, width - t.count)) + t
        }
        let a = fit(try r.octets(curve[0])), b = fit(try r.octets(curve[1]))
        let base = try r.octets(e[3])
        guard base.count == 1 + 2 * width, base.first == 0x04 else { throw LDSError(r.file, "base point is not uncompressed") }
        let g = ECPoint(x: Array(base[1...width]), y: Array(base[(width + 1)...]))
        let order = try r.unsigned(e[4])
        let cofactor = e.count > 5 ? try r.unsigned(e[5]) : [1]
        let params = ECDomainParameters(p: p, a: a, b: b, generator: g, order: order, cofactor: cofactor)
        do {
            let group = try ECGroup(explicit: params)
            return .ec(params, named: group.namedCurve)
        } catch {
            throw LDSError(r.file, "explicit EC parameters are invalid: \(error)")
        }
    }

    // MARK: - Encoding

    /// Encodes a key. `explicitParameters` writes EC domains in full even when they are named
    /// (as the Vietnamese CSCA does).
    public static func encode(_ key: PublicKey, explicitParameters: Bool = false, algorithm: String? = nil) -> [UInt8] {
        switch key {
        case let .ec(domain, point):
            return DERBuilder.sequence([
                DERBuilder.sequence([DERBuilder.oid(OID.ecPublicKey), encodeDomain(domain, explicit: explicitParameters)]),
                DERBuilder.bitString(point),
            ])
        case let .rsa(n, e):
            return DERBuilder.sequence([
                DERBuilder.sequence([DERBuilder.oid(OID.rsaEncryption), DERBuilder.null]),
                DERBuilder.bitString(DERBuilder.sequence([DERBuilder.unsignedInteger(n), DERBuilder.unsignedInteger(e)])),
            ])
        case let .dh(g, y):
            return DERBuilder.sequence([
                DERBuilder.sequence([DERBuilder.oid(algorithm ?? OID.dhPublicNumber), DERBuilder.sequence([
                    DERBuilder.unsignedInteger(g.p), DERBuilder.unsignedInteger(g.g), DERBuilder.unsignedInteger(g.q)])]),
                DERBuilder.bitString(DERBuilder.unsignedInteger(y)),
            ])
        }
    }

    public static func encodeDomain(_ d: DomainParameters, explicit: Bool) -> [UInt8] {
        switch d {
        case let .ec(p, named):
            if let named, !explicit { return DERBuilder.oid(named.oid) }
            return DERBuilder.sequence([
                DERBuilder.integer(1),
                DERBuilder.sequence([DERBuilder.oid(OID.primeField), DERBuilder.unsignedInteger(p.p)]),
                DERBuilder.sequence([DERBuilder.octetString(p.a), DERBuilder.octetString(p.b)]),
                DERBuilder.octetString(p.generator.uncompressed),
                DERBuilder.unsignedInteger(p.order),
                DERBuilder.unsignedInteger(p.cofactor),
            ])
        case let .dh(g):
            return DERBuilder.sequence([DERBuilder.unsignedInteger(g.p), DERBuilder.unsignedInteger(g.g), DERBuilder.unsignedInteger(g.q)])
        }
    }
}
