import SwiftASN1

/// Thin helpers over swift-asn1's BER parser for card data: every failure becomes an `LDSError`
/// naming the file, so a hostile file gives one clear line, never a crash.
struct BERReader {
    let file: String

    func parse<C: Collection>(_ bytes: C) throws -> ASN1Node where C.Element == UInt8 {
        do { return try BER.parse(Array(bytes)) } catch { throw LDSError(file, "BER: \(error)") }
    }

    func children(_ n: ASN1Node, _ id: ASN1Identifier? = .sequence, _ what: String = "SEQUENCE") throws -> [ASN1Node] {
        if let id, n.identifier != id { throw LDSError(file, "\(what) expected, found \(n.identifier)") }
        guard case .constructed(let c) = n.content else { throw LDSError(file, "\(what) is not constructed") }
        return Array(c)
    }

    func oid(_ n: ASN1Node) throws -> String {
        do { return try ASN1ObjectIdentifier(berEncoded: n).description } catch { throw LDSError(file, "OBJECT IDENTIFIER: \(error)") }
    }

    func int(_ n: ASN1Node) throws -> Int {
        do { return try Int(berEncoded: n) } catch { throw LDSError(file, "INTEGER: \(error)") }
    }

    /// An INTEGER as unsigned big-endian bytes without the sign octet.
    func unsigned(_ n: ASN1Node) throws -> [UInt8] {
        guard n.identifier == .integer, case .primitive(let v) = n.content, !v.isEmpty else { throw LDSError(file, "INTEGER expected") }
        var b = Array(v)
        if let lead = b.first, lead & 0x80 != 0 { throw LDSError(file, "negative INTEGER where unsigned expected") }
        while b.count > 1 && b.first == 0 { b.removeFirst() }
        return b
    }

    func octets(_ n: ASN1Node, _ id: ASN1Identifier = .octetString) throws -> [UInt8] {
        guard n.identifier == id else { throw LDSError(file, "OCTET STRING expected, found \(n.identifier)") }
        switch n.content {
        case .primitive(let v): return Array(v)
        case .constructed(let parts):  // BER constructed OCTET STRING
            var out = [UInt8]()
            for p in parts { out += try octets(p) }
            return out
        }
    }

    func bits(_ n: ASN1Node) throws -> [UInt8] {
        guard n.identifier == .bitString, case .primitive(let v) = n.content, let unused = v.first, unused == 0 else {
            throw LDSError(file, "BIT STRING with whole octets expected")
        }
        return Array(v.dropFirst())
    }

    func string(_ n: ASN1Node) throws -> String {
        guard case .primitive(let v) = n.content else { throw LDSError(file, "string expected") }
        return String(decoding: v, as: UTF8.self)
    }
}

/// Minimal DER writer for the structures this toolkit produces (simulated cards, test PKI).
/// Lengths are always minimal; callers pass already-encoded children.
public enum DERBuilder {
    public static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        out += lengthBytes(content.count)
        out += content
        return out
    }

    public static func tlv(tag: [UInt8], _ content: [UInt8]) -> [UInt8] { tag + lengthBytes(content.count) + content }

    static func lengthBytes(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var b = [UInt8]()
        var v = n
        while v > 0 { b.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        return [0x80 | UInt8(b.count)] + b
    }

    public static func sequence(_ items: [[UInt8]]) -> [UInt8] { tlv(0x30, items.flatMap { $0 }) }

    /// A SET OF, sorted by encoding as DER requires.
    public static func set(_ items: [[UInt8]]) -> [UInt8] {
        tlv(0x31, items.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
    }

    public static func integer(_ v: Int) -> [UInt8] {
        var bytes = [UInt8]()
        var x = v
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: x), at: 0)
            x >>= 8
        } while x != 0 && x != -1
        if v >= 0 && bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if v < 0 && bytes[0] & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
        return tlv(0x02, bytes)
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    public static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var m = Array(magnitude.drop { $0 == 0 })
        if m.isEmpty { m = [0] }
        if m[0] & 0x80 != 0 { m.insert(0, at: 0) }
        return tlv(0x02, m)
    }

    /// An OBJECT IDENTIFIER from its dotted form. A malformed string (never produced by this
    /// toolkit's constants or parsers) encodes as an empty OID rather than trapping.
    public static func oid(_ dotted: String) -> [UInt8] {
        let parts = dotted.split(separator: ".").compactMap { UInt64($0) }
        guard parts.count >= 2, parts.count == dotted.split(separator: ".").count, parts[0] <= 2, parts[0] == 2 || parts[1] < 40 else {
            return [0x06, 0x00]
        }
        // The first two arcs share one subidentifier; a huge second arc under 2 must not overflow.
        let (first, overflow) = parts[1].addingReportingOverflow(parts[0] * 40)
        guard !overflow else { return [0x06, 0x00] }
        var content = [UInt8]()
        for arc in [first] + parts.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var v = arc >> 7
            while v > 0 {
                chunk.insert(UInt8(v & 0x7F) | 0x80, at: 0)
                v >>= 7
            }
            content += chunk
        }
        return tlv(0x06, content)
    }

    public static func octetString(_ b: [UInt8]) -> [UInt8] { tlv(0x04, b) }
    public static func bitString(_ b: [UInt8]) -> [UInt8] { tlv(0x03, [0] + b) }
    public static let null: [UInt8] = [0x05, 0x00]
    public static func utf8String(_ s: String) -> [UInt8] { tlv(0x0C, Array(s.utf8)) }
    public static func printableString(_ s: String) -> [UInt8] { tlv(0x13, Array(s.utf8)) }
    /// [n] EXPLICIT / constructed context tag.
    public static func contextConstructed(_ n: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0xA0 | n, content) }
    /// [n] IMPLICIT primitive context tag.
    public static func contextPrimitive(_ n: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0x80 | n, content) }
}
