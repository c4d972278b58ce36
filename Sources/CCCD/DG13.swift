import ISO7816
import MRTD

/// DG13 of the Vietnamese card: nationally defined personal data.
///
/// `6D { 30 { INTEGER version, OID 1.0.10646.1.0.8, SET { 30 { INTEGER n, value... } ... } } }`.
/// Fields are mapped by their number, not their position; values are collected as the string
/// leaves of each field in order, so both parent layouts (one SEQUENCE per parent, or one SEQUENCE
/// of two strings) read the same. Unknown fields are kept raw. Text is Unicode NFC.
public struct DG13: Hashable, Sendable {
    public let raw: [UInt8]
    public let version: Int?
    /// Every field as the string leaves it holds, by field number.
    public let fields: [Int: [String]]
    /// Fields whose numbers this toolkit does not interpret, with their raw value bytes.
    public let unknownFields: [Int: [UInt8]]

    public init(_ raw: [UInt8]) throws {
        self.raw = raw
        let outer: TLV
        do { outer = try TLV.parse(raw) } catch { throw LDSError("DG13", "\(error)") }
        guard outer.tag == 0x6D else { throw LDSError("DG13", "outer tag \(outer.tag), expected 6D") }
        let seq = try DG13.children(outer)
        guard let body = seq.first(where: { $0.tag == 0x30 }) ?? (seq.contains { $0.tag == 0x31 } ? outer : nil) else {
            throw LDSError("DG13", "no SEQUENCE inside 6D")
        }
        let parts = try DG13.children(body)
        version = parts.first { $0.tag == 0x02 }.flatMap { $0.value.count == 1 ? Int($0.value[0]) : nil }
        guard let set = parts.first(where: { $0.tag == 0x31 }) else { throw LDSError("DG13", "field SET missing") }
        var fields = [Int: [String]]()
        var unknown = [Int: [UInt8]]()
        for f in try DG13.children(set) {
            guard f.tag == 0x30 else { continue }
            let items = try DG13.children(f)
            guard let num = items.first, num.tag == 0x02, (1...2).contains(num.value.count) else {
                throw LDSError("DG13", "field without a number")
            }
            let n = num.value.reduce(0) { $0 << 8 | Int($1) }
            guard fields[n] == nil else { throw LDSError("DG13", "field \(n) appears twice") }
            var leaves = [String]()
            for item in items.dropFirst() { try DG13.collectStrings(item, into: &leaves, depth: 0) }
            fields[n] = leaves
            if !(1...16).contains(n) { unknown[n] = items.dropFirst().flatMap(\.encoded) }
        }
        self.fields = fields
        unknownFields = unknown
    }

    static func children(_ t: TLV) throws -> [TLV] {
        do { return try t.children() } catch { throw LDSError("DG13", "\(error)") }
    }

    static func collectStrings(_ t: TLV, into out: inout [String], depth: Int) throws {
        guard depth < 8 else { throw LDSError("DG13", "nesting too deep") }
        switch t.tag.rawValue {
        case 0x0C, 0x13, 0x16, 0x1E, 0x14, 0x1A:
            guard let s = String(validating: t.value, as: UTF8.self) else { throw LDSError("DG13", "string is not valid UTF-8") }
            out.append(s.precomposedStringWithCanonicalMappingNFC)
        case 0x30, 0x31:
            for c in try children(t) { try collectStrings(c, into: &out, depth: depth + 1) }
        default:
            break
        }
    }

    func field(_ n: Int) -> String? {
        guard let v = fields[n]?.first, !v.isEmpty else { return nil }
        return v
    }

    public var idNumber: String? { field(1) }
    public var fullName: String? { field(2) }
    /// ISO 8601.
    public var dateOfBirth: String? { field(3).flatMap(VietnameseDate.iso(fromCard:)) }
    /// "M" for Nam, "F" for Nữ, nil otherwise.
    public var sex: String? {
        switch field(4)?.lowercased() {
        case "nam": return "M"
        case "nữ", "nu": return "F"
        default: return nil
        }
    }
    public var sexText: String? { field(4) }
    public var nationality: String? { field(5) }
    public var ethnicity: String? { field(6) }
    public var religion: String? { field(7) }
    public var placeOfOrigin: String? { field(8) }
    public var placeOfResidence: String? { field(9) }
    public var identifyingMarks: String? { field(10) }
    public var dateOfIssue: String? { field(11).flatMap(VietnameseDate.iso(fromCard:)) }

    /// The expiry as printed: a date, or a text such as "Không thời hạn".
    public var expiryText: String? { field(12) }
    /// ISO 8601, or nil when the card does not expire (or the field is absent).
    public var dateOfExpiry: String? { field(12).flatMap(VietnameseDate.iso(fromCard:)) }
    /// True when field 12 is present but is not a date (cards renewed at 60).
    public var hasNoExpiry: Bool { field(12) != nil && dateOfExpiry == nil }

    public var fatherName: String? { fields[13].flatMap { $0.count > 0 && !$0[0].isEmpty ? $0[0] : nil } }
    public var motherName: String? { fields[13].flatMap { $0.count > 1 && !$0[1].isEmpty ? $0[1] : nil } }
    public var spouseName: String? { field(14) }
    /// The old 9-digit ID (CMND): field 15, or field 16 on cards where 16 holds 9 digits.
    public var oldIDNumber: String? {
        if let v = field(15), ASCIIDigits.isDigits(v, count: 9) || ASCIIDigits.isDigits(v, count: 12) { return v }
        if let v = field(16), ASCIIDigits.isDigits(v, count: 9) { return v }
        return nil
    }
    /// Field 16 when it is not the old ID: a 16-character value of unknown meaning.
    public var field16: String? { oldIDNumber == field(16) ? nil : field(16) }

    // MARK: - Encoding (simulated cards)

    /// Encodes fields in number order. `printable` fields use PrintableString, the rest UTF8String;
    /// field 13 holds one SEQUENCE per parent, field 14 is empty when there is no spouse.
    public static func encode(_ values: [Int: String], version: Int = 1) -> [UInt8] {
        let printable: Set<Int> = [1, 3, 11, 15, 16]
        var items = [[UInt8]]()
        for n in (1...16) {
            let num = DERBuilder.integer(n)
            switch n {
            case 13:
                let parents = [values[13], values[17]].map { DERBuilder.sequence([DERBuilder.utf8String($0 ?? "")]) }
                items.append(DERBuilder.sequence([num] + parents))
            case 14:
                items.append(DERBuilder.sequence([num] + (values[14].map { [DERBuilder.utf8String($0)] } ?? [])))
            default:
                guard let v = values[n] else { continue }
                items.append(DERBuilder.sequence([num, printable.contains(n) ? DERBuilder.printableString(v) : DERBuilder.utf8String(v)]))
            }
        }
        let body = DERBuilder.sequence([DERBuilder.integer(version), DERBuilder.oid("1.0.10646.1.0.8"), DERBuilder.tlv(0x31, items.flatMap { $0 })])
        return DERBuilder.tlv(0x6D, body)
    }
}

extension String {
    /// Unicode NFC without Foundation's bridging cost on Linux.
    var precomposedStringWithCanonicalMappingNFC: String {
        // Swift strings compare by canonical equivalence; normalising explicitly keeps the bytes
        // stable for JSON output and hashing.
        _nfc(self)
    }
}
