import ISO7816
import MRTDCrypto

/// Reads the outer TLV of a file and checks its tag; the value is what the parsers see.
func outerValue(_ raw: [UInt8], _ file: LDSFileID) throws -> TLV {
    let tlv: TLV
    do { tlv = try TLV.parse(raw) } catch { throw LDSError(file.description, "\(error)") }
    if let tag = file.tag, tlv.tag.rawValue != UInt32(tag) {
        throw LDSError(file.description, "outer tag \(tlv.tag), expected \(TLVTag(UInt32(tag)))")
    }
    return tlv
}

func children(_ tlv: TLV, _ file: LDSFileID) throws -> [TLV] {
    do { return try tlv.children() } catch { throw LDSError(file.description, "\(error)") }
}

/// EF.COM: LDS version, Unicode version and the list of data-group tags. Unsigned: used only as a
/// hint, never to decide what to read or verify.
public struct EFCOM: Hashable, Sendable {
    public let raw: [UInt8]
    public let ldsVersion: String
    public let unicodeVersion: String
    public let tags: [UInt8]

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .com), .com)
        ldsVersion = c.first { $0.tag == 0x5F01 }.map { String(decoding: $0.value, as: UTF8.self) } ?? ""
        unicodeVersion = c.first { $0.tag == 0x5F36 }.map { String(decoding: $0.value, as: UTF8.self) } ?? ""
        guard let list = c.first(where: { $0.tag == 0x5C }) else { throw LDSError("EF.COM", "tag list 5C missing") }
        tags = list.value
    }

    public static func encode(ldsVersion: String = "0107", unicodeVersion: String = "040000", files: [LDSFileID]) -> [UInt8] {
        TLV(tag: 0x60, children: [
            TLV(tag: 0x5F01, value: Array(ldsVersion.utf8)),
            TLV(tag: 0x5F36, value: Array(unicodeVersion.utf8)),
            TLV(tag: 0x5C, value: files.compactMap(\.tag)),
        ]).encoded
    }
}

/// DG1: the MRZ as stored on the chip.
public struct DG1: Hashable, Sendable {
    public let raw: [UInt8]
    public let mrzText: String
    /// The parsed MRZ; nil when its check digits or layout are wrong (`mrzProblem` says why).
    public let mrz: MRZ?
    public let mrzProblem: MRZError?

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .dataGroup(1)), .dataGroup(1))
        guard let m = c.first(where: { $0.tag == 0x5F1F }) else { throw LDSError("DG1", "MRZ 5F1F missing") }
        guard m.value.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw LDSError("DG1", "MRZ is not ASCII") }
        let text = String(decoding: m.value, as: UTF8.self)
        let width: Int
        switch text.count {
        case 90: width = 30
        case 72: width = 36
        case 88: width = 44
        default: throw LDSError("DG1", "MRZ of \(text.count) characters")
        }
        let chars = Array(text)
        mrzText = stride(from: 0, to: chars.count, by: width).map { String(chars[$0..<($0 + width)]) }.joined(separator: "\n")
        do {
            mrz = try MRZ(mrzText)
            mrzProblem = nil
        } catch let e as MRZError {
            mrz = nil
            mrzProblem = e
        }
    }

    public static func encode(mrz lines: [String]) -> [UInt8] {
        TLV(tag: 0x61, children: [TLV(tag: 0x5F1F, value: Array(lines.joined().utf8))]).encoded
    }
}

/// DG15: the Active Authentication public key.
public struct DG15: Hashable, Sendable {
    public let raw: [UInt8]
    public let publicKey: SubjectPublicKeyInfo

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        publicKey = try SubjectPublicKeyInfo(der: try outerValue(raw, .dataGroup(15)).value, file: "DG15")
    }

    public static func encode(_ spki: [UInt8]) -> [UInt8] { TLV(tag: 0x6F, value: spki).encoded }
}

/// DG14: SecurityInfos for Chip Authentication (and PACE, AA, TA).
public struct DG14: Hashable, Sendable {
    public let raw: [UInt8]
    public let securityInfos: SecurityInfos

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        securityInfos = try SecurityInfos(der: try outerValue(raw, .dataGroup(14)).value, file: "DG14")
    }

    public static func encode(_ infos: SecurityInfos) -> [UInt8] { TLV(tag: 0x6E, value: infos.der).encoded }
}

/// EF.CardSecurity: SecurityInfos signed by the document signer (CMS).
public struct EFCardSecurity: Hashable, Sendable {
    public let raw: [UInt8]
    public let signedData: CMSSignedData
    public let securityInfos: SecurityInfos

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        signedData = try CMSSignedData(contentInfo: raw, file: "EF.CardSecurity")
        guard signedData.contentType == OID.securityObject else { throw LDSError("EF.CardSecurity", "content is not id-SecurityObject") }
        securityInfos = try SecurityInfos(der: signedData.content, file: "EF.CardSecurity")
    }
}

/// Generic template data groups (DG11, DG12, DG16...): tag → value, in card order.
public struct TaggedFields: Hashable, Sendable {
    public let fields: [(tag: UInt32, value: [UInt8])]

    public static func == (a: TaggedFields, b: TaggedFields) -> Bool {
        a.fields.map(\.tag) == b.fields.map(\.tag) && a.fields.map(\.value) == b.fields.map(\.value)
    }
    public func hash(into h: inout Hasher) { for f in fields { h.combine(f.tag); h.combine(f.value) } }

    public func string(_ tag: UInt32) -> String? {
        fields.first { $0.tag == tag }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

/// DG11: additional personal details (full name 5F0E, personal number 5F10, place of birth 5F11,
/// full date of birth 5F2B, address 5F42, telephone 5F12, profession 5F13, title 5F14, ...).
public struct DG11: Hashable, Sendable {
    public let raw: [UInt8]
    public let fields: TaggedFields

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .dataGroup(11)), .dataGroup(11))
        fields = TaggedFields(fields: c.filter { $0.tag != 0x5C }.map { ($0.tag.rawValue, $0.value) })
    }

    public var fullName: String? { fields.string(0x5F0E) }
    public var personalNumber: String? { fields.string(0x5F10) }
    public var placeOfBirth: String? { fields.string(0x5F11) }
    public var fullDateOfBirth: String? { fields.string(0x5F2B) }
    public var address: String? { fields.string(0x5F42) }
}

/// DG12: additional document details (issuing authority 5F19, date of issue 5F26, ...).
public struct DG12: Hashable, Sendable {
    public let raw: [UInt8]
    public let fields: TaggedFields

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .dataGroup(12)), .dataGroup(12))
        fields = TaggedFields(fields: c.filter { $0.tag != 0x5C }.map { ($0.tag.rawValue, $0.value) })
    }

    public var issuingAuthority: String? { fields.string(0x5F19) }
    public var dateOfIssue: String? { fields.string(0x5F26) }
}

/// DG16: persons to notify, each a template of name 5F51, telephone 5F52, address 5F53, date 5F50.
public struct DG16: Hashable, Sendable {
    public let raw: [UInt8]
    public let persons: [TaggedFields]

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .dataGroup(16)), .dataGroup(16))
        persons = try c.filter { $0.tag.isConstructed }.map { p in
            TaggedFields(fields: try children(p, .dataGroup(16)).map { ($0.tag.rawValue, $0.value) })
        }
    }
}

/// DG7: displayed signature or usual mark images (5F43), intact.
public struct DG7: Hashable, Sendable {
    public let raw: [UInt8]
    public let images: [[UInt8]]

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let c = try children(try outerValue(raw, .dataGroup(7)), .dataGroup(7))
        images = c.filter { $0.tag == 0x5F43 }.map(\.value)
    }
}
