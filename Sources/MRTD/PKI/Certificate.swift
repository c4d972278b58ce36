import Foundation
import SwiftASN1

/// An X.509 certificate parsed the way eMRTD PKIs need: tolerant of explicit EC parameters and
/// unusual algorithms (which general X.509 libraries reject), with the exact TBS bytes kept for
/// signature checks.
public struct Certificate: Hashable, Sendable {
    public let der: [UInt8]
    public let tbsDER: [UInt8]
    public let version: Int
    public let serialNumber: [UInt8]
    public let signatureAlgorithm: String
    public let signatureAlgorithmParameters: [UInt8]?
    public let issuerDER: [UInt8]
    public let subjectDER: [UInt8]
    public let issuer: String
    public let subject: String
    public let notBefore: Date
    public let notAfter: Date
    public let publicKeyInfo: SubjectPublicKeyInfo
    public let signature: [UInt8]
    public let subjectKeyIdentifier: [UInt8]?
    public let authorityKeyIdentifier: [UInt8]?
    /// keyUsage bits (bit 0 = digitalSignature ... bit 5 = keyCertSign, bit 6 = cRLSign), nil if absent.
    public let keyUsage: Set<Int>?
    public let isCA: Bool?

    public init(der: [UInt8]) throws {
        let r = BERReader(file: "certificate")
        let top = try r.children(try r.parse(der))
        guard top.count == 3 else { throw LDSError(r.file, "Certificate has \(top.count) elements") }
        self.der = der
        tbsDER = Array(top[0].encodedBytes)
        let sigAlg = try r.children(top[1], .sequence, "AlgorithmIdentifier")
        guard let sigOID = sigAlg.first else { throw LDSError(r.file, "empty signature algorithm") }
        signatureAlgorithm = try r.oid(sigOID)
        signatureAlgorithmParameters = sigAlg.count > 1 && sigAlg[1].identifier != .null ? Array(sigAlg[1].encodedBytes) : nil
        signature = try r.bits(top[2])

        var tbs = try r.children(top[0], .sequence, "TBSCertificate")
        if let first = tbs.first, first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            // X.509 versions are v1-v3 (INTEGER 0-2); anything else, e.g. Int.max, is malformed
            // rather than a `+ 1` that overflows.
            let raw = try r.int(try r.children(first, nil).first ?? first)
            guard (0...2).contains(raw) else { throw LDSError(r.file, "certificate version \(raw)") }
            version = raw + 1
            tbs.removeFirst()
        } else {
            version = 1
        }
        guard tbs.count >= 6 else { throw LDSError(r.file, "TBSCertificate has \(tbs.count) elements") }
        serialNumber = try Certificate.serial(tbs[0], r)
        issuerDER = Array(tbs[2].encodedBytes)
        issuer = try DistinguishedNameText.render(tbs[2], r)
        let validity = try r.children(tbs[3], .sequence, "Validity")
        guard validity.count == 2 else { throw LDSError(r.file, "Validity malformed") }
        notBefore = try Certificate.time(validity[0], r)
        notAfter = try Certificate.time(validity[1], r)
        subjectDER = Array(tbs[4].encodedBytes)
        subject = try DistinguishedNameText.render(tbs[4], r)
        publicKeyInfo = try SubjectPublicKeyInfo(node: tbs[5], reader: r)
        var ski: [UInt8]?, aki: [UInt8]?, ku: Set<Int>?, ca: Bool?
        for extra in tbs.dropFirst(6) where extra.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) {
            guard let list = try r.children(extra, nil).first else { continue }
            for e in try r.children(list) {
                let parts = try r.children(e, .sequence, "Extension")
                guard parts.count >= 2 else { continue }
                let oid = try r.oid(parts[0])
                let value = try r.octets(parts[parts.count - 1])
                switch oid {
                case "2.5.29.14":
                    ski = try r.octets(try r.parse(value))
                case "2.5.29.35":
                    for item in try r.children(try r.parse(value)) where item.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                        if case .primitive(let v) = item.content { aki = Array(v) }
                    }
                case "2.5.29.15":
                    let n = try r.parse(value)
                    guard n.identifier == .bitString, case .primitive(let v) = n.content, let unused = v.first else { break }
                    var bits = Set<Int>()
                    for (i, byte) in v.dropFirst().enumerated() {
                        for b in 0..<8 where byte & (0x80 >> b) != 0 { bits.insert(i * 8 + b) }
                    }
                    _ = unused
                    ku = bits
                case "2.5.29.19":
                    let items = try r.children(try r.parse(value))
                    ca = false
                    if let first = items.first, first.identifier == .boolean, case .primitive(let v) = first.content {
                        ca = v.first == 0xFF
                    }
                default:
                    break
                }
            }
        }
        subjectKeyIdentifier = ski
        authorityKeyIdentifier = aki
        keyUsage = ku
        isCA = ca
    }

    static func serial(_ n: ASN1Node, _ r: BERReader) throws -> [UInt8] {
        guard n.identifier == .integer, case .primitive(let v) = n.content, !v.isEmpty else { throw LDSError(r.file, "serial number") }
        var b = Array(v)
        while b.count > 1 && b.first == 0 { b.removeFirst() }
        return b
    }

    static func time(_ n: ASN1Node, _ r: BERReader) throws -> Date {
        guard case .primitive(let v) = n.content else { throw LDSError(r.file, "time") }
        let s = String(decoding: v, as: UTF8.self)
        var text: String
        if n.identifier == .utcTime {
            guard s.count >= 13, let yy = ASCIIDigits.value(s.prefix(2)) else { throw LDSError(r.file, "UTCTime \(s)") }
            text = (yy >= 50 ? "19" : "20") + s
        } else if n.identifier == .generalizedTime {
            text = s
        } else {
            throw LDSError(r.file, "unknown time type")
        }
        text = String(text.prefix(14))
        // ASCII digits only (no "+1", no "٠١"): `Int(String)` would accept a sign.
        guard text.count == 14, let year = ASCIIDigits.value(text.prefix(4)), let month = ASCIIDigits.value(text.dropFirst(4).prefix(2)),
              let day = ASCIIDigits.value(text.dropFirst(6).prefix(2)), let hour = ASCIIDigits.value(text.dropFirst(8).prefix(2)),
              let minute = ASCIIDigits.value(text.dropFirst(10).prefix(2)), let second = ASCIIDigits.value(text.dropFirst(12).prefix(2)) else {
            throw LDSError(r.file, "time \(s)")
        }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (year, month, day, hour, minute, second)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .gmt
        guard let d = cal.date(from: c) else { throw LDSError(r.file, "time \(s)") }
        return d
    }

    public func isValid(at date: Date) -> Bool { date >= notBefore && date <= notAfter }

    /// True when the certificate's signature verifies with its own key.
    public var isSelfSigned: Bool {
        subjectDER == issuerDER && SignatureCheckCache.shared.verifies(message: tbsDER, signature: signature, algorithm: signatureAlgorithm,
                                                                       parameters: signatureAlgorithmParameters, signer: publicKeyInfo)
    }

    /// SHA-256 fingerprint, hex.
    public var fingerprint: String { HashAlgorithmHex.sha256(der) }
}

/// Renders a Name as "C=VN, O=..., CN=..." for display and logs.
enum DistinguishedNameText {
    static let short: [String: String] = [
        "2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN", "2.5.4.5": "serialNumber",
        "2.5.4.7": "L", "2.5.4.8": "ST", "1.2.840.113549.1.9.1": "emailAddress",
    ]

    static func render(_ n: ASN1Node, _ r: BERReader) throws -> String {
        var parts = [String]()
        for rdn in try r.children(n) {
            for atv in try r.children(rdn, .set, "RDN") {
                let p = try r.children(atv, .sequence, "AttributeTypeAndValue")
                guard p.count == 2 else { continue }
                let oid = try r.oid(p[0])
                parts.append("\(short[oid] ?? oid)=\((try? r.string(p[1])) ?? "?")")
            }
        }
        return parts.joined(separator: ", ")
    }
}
