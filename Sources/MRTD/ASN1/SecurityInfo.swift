import MRTDCrypto
import SwiftASN1

/// A PACE protocol OID, decoded: mapping, key agreement and cipher.
public struct PACEProtocol: Hashable, Sendable, CustomStringConvertible {
    public enum Mapping: String, Sendable { case generic = "GM", integrated = "IM", chipAuthentication = "CAM" }
    public enum Agreement: String, Sendable { case dh = "DH", ecdh = "ECDH" }

    public let oid: String
    public let mapping: Mapping
    public let agreement: Agreement
    public let cipher: SMCipher

    public init?(oid: String) {
        guard oid.hasPrefix(OID.pace + ".") else { return nil }
        let parts = oid.dropFirst(OID.pace.count + 1).split(separator: ".")
        guard parts.count == 2, let kind = Int(parts[0]), let c = Int(parts[1]) else { return nil }
        switch kind {
        case 1: (mapping, agreement) = (.generic, .dh)
        case 2: (mapping, agreement) = (.generic, .ecdh)
        case 3: (mapping, agreement) = (.integrated, .dh)
        case 4: (mapping, agreement) = (.integrated, .ecdh)
        case 6: (mapping, agreement) = (.chipAuthentication, .ecdh)
        default: return nil
        }
        switch c {
        case 1: cipher = .tripleDES
        case 2: cipher = .aes128
        case 3: cipher = .aes192
        case 4: cipher = .aes256
        default: return nil
        }
        if mapping == .chipAuthentication && cipher == .tripleDES { return nil }
        self.oid = oid
    }

    /// The OID of the key-agreement family without the cipher (as in PACEDomainParameterInfo).
    public var familyOID: String { oid.lastIndex(of: ".").map { String(oid[..<$0]) } ?? oid }

    public var description: String { "PACE-\(agreement.rawValue)-\(mapping.rawValue)-\(cipher.rawValue)" }
}

/// A Chip Authentication protocol OID, decoded.
public struct CAProtocol: Hashable, Sendable, CustomStringConvertible {
    public let oid: String
    public let agreement: PACEProtocol.Agreement
    public let cipher: SMCipher

    public init?(oid: String) {
        guard oid.hasPrefix(OID.chipAuthentication + ".") else { return nil }
        let parts = oid.dropFirst(OID.chipAuthentication.count + 1).split(separator: ".")
        guard parts.count == 2, let kind = Int(parts[0]), let c = Int(parts[1]) else { return nil }
        switch kind {
        case 1: agreement = .dh
        case 2: agreement = .ecdh
        default: return nil
        }
        switch c {
        case 1: cipher = .tripleDES
        case 2: cipher = .aes128
        case 3: cipher = .aes192
        case 4: cipher = .aes256
        default: return nil
        }
        self.oid = oid
    }

    public var description: String { "CA-\(agreement.rawValue)-\(cipher.rawValue)" }
}

/// PACEInfo ::= SEQUENCE { protocol, version INTEGER, parameterId INTEGER OPTIONAL }
public struct PACEInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let protocolOID: String
    public let version: Int
    public let parameterID: Int?
    /// nil when the OID is a PACE OID this toolkit does not know.
    public var paceProtocol: PACEProtocol? { PACEProtocol(oid: protocolOID) }

    public init(protocolOID: String, version: Int = 2, parameterID: Int?) {
        self.protocolOID = protocolOID
        self.version = version
        self.parameterID = parameterID
        var items = [DERBuilder.oid(protocolOID), DERBuilder.integer(version)]
        if let parameterID { items.append(DERBuilder.integer(parameterID)) }
        der = DERBuilder.sequence(items)
    }

    init(der: [UInt8], oid: String, fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        protocolOID = oid
        guard fields.count >= 2 else { throw LDSError(r.file, "PACEInfo without version") }
        version = try r.int(fields[1])
        parameterID = fields.count > 2 ? try r.int(fields[2]) : nil
    }
}

/// PACEDomainParameterInfo ::= SEQUENCE { protocol, domainParameter AlgorithmIdentifier, parameterId OPTIONAL }
public struct PACEDomainParameterInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let protocolOID: String
    public let domainParameters: DomainParameters
    public let parameterID: Int?

    public init(protocolOID: String, domainParameters: DomainParameters, parameterID: Int?) {
        self.protocolOID = protocolOID
        self.domainParameters = domainParameters
        self.parameterID = parameterID
        let algOID: String
        switch domainParameters {
        case .ec: algOID = OID.ecPublicKey
        case .dh: algOID = OID.dhPublicNumber
        }
        var items = [DERBuilder.oid(protocolOID),
                     DERBuilder.sequence([DERBuilder.oid(algOID), SubjectPublicKeyInfo.encodeDomain(domainParameters, explicit: true)])]
        if let parameterID { items.append(DERBuilder.integer(parameterID)) }
        der = DERBuilder.sequence(items)
    }

    init(der: [UInt8], oid: String, fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        protocolOID = oid
        guard fields.count >= 2 else { throw LDSError(r.file, "PACEDomainParameterInfo without parameters") }
        let alg = try r.children(fields[1], .sequence, "AlgorithmIdentifier")
        guard alg.count == 2 else { throw LDSError(r.file, "domain parameters missing") }
        switch try r.oid(alg[0]) {
        case OID.ecPublicKey:
            domainParameters = try SubjectPublicKeyInfo.ecParameters(alg[1], r)
        case OID.dhPublicNumber, OID.dhKeyAgreement:
            let p = try r.children(alg[1])
            guard p.count >= 2 else { throw LDSError(r.file, "DH parameters incomplete") }
            domainParameters = .dh(DHGroup(p: try r.unsigned(p[0]), g: try r.unsigned(p[1]), q: p.count > 2 ? try r.unsigned(p[2]) : []))
        case OID.standardizedDomainParameters:
            guard let d = DomainParameters.standardized(try r.int(alg[1])) else { throw LDSError(r.file, "unknown standardized parameters") }
            domainParameters = d
        case let other:
            throw LDSError(r.file, "unsupported domain parameter algorithm \(other)")
        }
        parameterID = fields.count > 2 ? try r.int(fields[2]) : nil
    }
}

/// ChipAuthenticationInfo ::= SEQUENCE { protocol, version INTEGER, keyId INTEGER OPTIONAL }
public struct ChipAuthenticationInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let protocolOID: String
    public let version: Int
    public let keyID: Int?
    public var caProtocol: CAProtocol? { CAProtocol(oid: protocolOID) }

    public init(protocolOID: String, version: Int = 1, keyID: Int? = nil) {
        self.protocolOID = protocolOID
        self.version = version
        self.keyID = keyID
        var items = [DERBuilder.oid(protocolOID), DERBuilder.integer(version)]
        if let keyID { items.append(DERBuilder.integer(keyID)) }
        der = DERBuilder.sequence(items)
    }

    init(der: [UInt8], oid: String, fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        protocolOID = oid
        guard fields.count >= 2 else { throw LDSError(r.file, "ChipAuthenticationInfo without version") }
        version = try r.int(fields[1])
        keyID = fields.count > 2 ? try r.int(fields[2]) : nil
    }
}

/// ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol, chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId OPTIONAL }
public struct ChipAuthenticationPublicKeyInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let protocolOID: String
    public let publicKey: SubjectPublicKeyInfo
    public let keyID: Int?

    public init(protocolOID: String, publicKey: SubjectPublicKeyInfo, keyID: Int? = nil) {
        self.protocolOID = protocolOID
        self.publicKey = publicKey
        self.keyID = keyID
        var items = [DERBuilder.oid(protocolOID), publicKey.der]
        if let keyID { items.append(DERBuilder.integer(keyID)) }
        der = DERBuilder.sequence(items)
    }

    init(der: [UInt8], oid: String, fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        protocolOID = oid
        guard fields.count >= 2 else { throw LDSError(r.file, "ChipAuthenticationPublicKeyInfo without key") }
        publicKey = try SubjectPublicKeyInfo(node: fields[1], reader: r)
        keyID = fields.count > 2 ? try r.int(fields[2]) : nil
    }
}

/// ActiveAuthenticationInfo ::= SEQUENCE { protocol id-AA, version INTEGER, signatureAlgorithm OID }
public struct ActiveAuthenticationInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let version: Int
    public let signatureAlgorithm: String

    public init(version: Int = 1, signatureAlgorithm: String) {
        self.version = version
        self.signatureAlgorithm = signatureAlgorithm
        der = DERBuilder.sequence([DERBuilder.oid(OID.activeAuthentication), DERBuilder.integer(version), DERBuilder.oid(signatureAlgorithm)])
    }

    init(der: [UInt8], fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        guard fields.count >= 3 else { throw LDSError(r.file, "ActiveAuthenticationInfo incomplete") }
        version = try r.int(fields[1])
        signatureAlgorithm = try r.oid(fields[2])
    }
}

/// TerminalAuthenticationInfo ::= SEQUENCE { protocol id-TA, version INTEGER, efCVCA OPTIONAL }
public struct TerminalAuthenticationInfo: Hashable, Sendable {
    public let der: [UInt8]
    public let version: Int

    public init(version: Int = 1) {
        self.version = version
        der = DERBuilder.sequence([DERBuilder.oid(OID.terminalAuthentication), DERBuilder.integer(version)])
    }

    init(der: [UInt8], fields: [ASN1Node], r: BERReader) throws {
        self.der = der
        guard fields.count >= 2 else { throw LDSError(r.file, "TerminalAuthenticationInfo without version") }
        version = try r.int(fields[1])
    }
}

/// One SecurityInfo of EF.CardAccess, EF.CardSecurity or DG14. Unknown kinds are kept raw.
public enum SecurityInfo: Hashable, Sendable {
    case pace(PACEInfo)
    case paceDomainParameters(PACEDomainParameterInfo)
    case chipAuthentication(ChipAuthenticationInfo)
    case chipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo)
    case activeAuthentication(ActiveAuthenticationInfo)
    case terminalAuthentication(TerminalAuthenticationInfo)
    case unknown(oid: String, der: [UInt8])

    public var der: [UInt8] {
        switch self {
        case .pace(let i): return i.der
        case .paceDomainParameters(let i): return i.der
        case .chipAuthentication(let i): return i.der
        case .chipAuthenticationPublicKey(let i): return i.der
        case .activeAuthentication(let i): return i.der
        case .terminalAuthentication(let i): return i.der
        case .unknown(_, let d): return d
        }
    }

    static func parse(_ node: ASN1Node, _ r: BERReader) throws -> SecurityInfo {
        let fields = try r.children(node, .sequence, "SecurityInfo")
        guard let first = fields.first else { throw LDSError(r.file, "empty SecurityInfo") }
        let oid = try r.oid(first)
        let der = Array(node.encodedBytes)
        if oid.hasPrefix(OID.pace + ".") {
            let suffix = oid.dropFirst(OID.pace.count + 1)
            if suffix.contains(".") { return .pace(try PACEInfo(der: der, oid: oid, fields: fields, r: r)) }
            return .paceDomainParameters(try PACEDomainParameterInfo(der: der, oid: oid, fields: fields, r: r))
        }
        if oid.hasPrefix(OID.chipAuthentication + ".") {
            return .chipAuthentication(try ChipAuthenticationInfo(der: der, oid: oid, fields: fields, r: r))
        }
        if oid == OID.pkDH || oid == OID.pkECDH {
            return .chipAuthenticationPublicKey(try ChipAuthenticationPublicKeyInfo(der: der, oid: oid, fields: fields, r: r))
        }
        if oid == OID.activeAuthentication { return .activeAuthentication(try ActiveAuthenticationInfo(der: der, fields: fields, r: r)) }
        if oid == OID.terminalAuthentication { return .terminalAuthentication(try TerminalAuthenticationInfo(der: der, fields: fields, r: r)) }
        return .unknown(oid: oid, der: der)
    }
}

/// SecurityInfos ::= SET OF SecurityInfo — the content of EF.CardAccess and DG14.
public struct SecurityInfos: Hashable, Sendable {
    public let infos: [SecurityInfo]
    public let der: [UInt8]

    public init(der: [UInt8], file: String = "SecurityInfos") throws {
        let r = BERReader(file: file)
        let set = try r.children(try r.parse(der), .set, "SET OF SecurityInfo")
        infos = try set.map { try SecurityInfo.parse($0, r) }
        self.der = der
    }

    public init(_ infos: [SecurityInfo]) {
        self.infos = infos
        der = DERBuilder.set(infos.map(\.der))
    }

    public var paceInfos: [PACEInfo] { infos.compactMap { if case .pace(let i) = $0 { return i } else { return nil } } }
    public var paceDomainParameterInfos: [PACEDomainParameterInfo] {
        infos.compactMap { if case .paceDomainParameters(let i) = $0 { return i } else { return nil } }
    }
    public var chipAuthenticationInfos: [ChipAuthenticationInfo] {
        infos.compactMap { if case .chipAuthentication(let i) = $0 { return i } else { return nil } }
    }
    public var chipAuthenticationPublicKeys: [ChipAuthenticationPublicKeyInfo] {
        infos.compactMap { if case .chipAuthenticationPublicKey(let i) = $0 { return i } else { return nil } }
    }
    public var activeAuthenticationInfo: ActiveAuthenticationInfo? {
        infos.lazy.compactMap { if case .activeAuthentication(let i) = $0 { return i } else { return nil } }.first
    }
    public var supportsTerminalAuthentication: Bool {
        infos.contains { if case .terminalAuthentication = $0 { return true } else { return false } }
    }
}
