import MRTDCrypto
import SwiftASN1

/// LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues SEQUENCE OF
/// DataGroupHash, ldsVersionInfo OPTIONAL } — the signed list of data-group hashes.
public struct LDSSecurityObject: Hashable, Sendable {
    public let version: Int
    public let hashAlgorithmOID: String
    /// nil when the OID is not a hash this toolkit knows (verification then fails, with that reason).
    public var hashAlgorithm: HashAlgorithm? { HashAlgorithm(oid: hashAlgorithmOID) }
    public let dataGroupHashes: [Int: [UInt8]]
    public let ldsVersion: String?

    public init(der: [UInt8]) throws {
        let r = BERReader(file: "EF.SOD LDSSecurityObject")
        let f = try r.children(try r.parse(der))
        guard f.count >= 3 else { throw LDSError(r.file, "\(f.count) elements") }
        version = try r.int(f[0])
        hashAlgorithmOID = try r.oid(try r.children(f[1], .sequence, "AlgorithmIdentifier").first ?? f[1])
        var hashes = [Int: [UInt8]]()
        for h in try r.children(f[2]) {
            let p = try r.children(h, .sequence, "DataGroupHash")
            guard p.count == 2 else { throw LDSError(r.file, "DataGroupHash malformed") }
            let n = try r.int(p[0])
            guard (1...16).contains(n) else { throw LDSError(r.file, "data group number \(n)") }
            guard hashes[n] == nil else { throw LDSError(r.file, "DG\(n) listed twice") }
            hashes[n] = try r.octets(p[1])
        }
        dataGroupHashes = hashes
        if f.count > 3, let v = try? r.children(f[3]), v.count == 2 {
            ldsVersion = try? r.string(v[0])
        } else {
            ldsVersion = nil
        }
    }

    public static func encode(hash: HashAlgorithm, hashes: [Int: [UInt8]]) -> [UInt8] {
        DERBuilder.sequence([
            DERBuilder.integer(0),
            DERBuilder.sequence([DERBuilder.oid(hash.oid)]),
            DERBuilder.sequence(hashes.sorted { $0.key < $1.key }.map {
                DERBuilder.sequence([DERBuilder.integer($0.key), DERBuilder.octetString($0.value)])
            }),
        ])
    }
}

/// EF.SOD: the Document Security Object, a CMS SignedData over an LDSSecurityObject.
public struct SOD: Hashable, Sendable {
    public let raw: [UInt8]
    public let signedData: CMSSignedData
    public let securityObject: LDSSecurityObject

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let outer = try outerValue(raw, .sod)
        signedData = try CMSSignedData(contentInfo: outer.value, file: "EF.SOD")
        guard signedData.contentType == OID.ldsSecurityObject else {
            throw LDSError("EF.SOD", "content type \(signedData.contentType) is not id-icao-ldsSecurityObject")
        }
        securityObject = try LDSSecurityObject(der: signedData.content)
    }

    /// The data groups the SOD vouches for, in order.
    public var dataGroups: [Int] { securityObject.dataGroupHashes.keys.sorted() }
}
