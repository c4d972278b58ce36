/// A JSON value with one canonical text: object keys sorted by UTF-16 code units, no whitespace,
/// strings escaped as RFC 8785 (JCS) does, integers only (no floating point). Event hashes are
/// computed over this text, so any store and any later version reproduces them byte for byte.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func optional(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }

    public var canonical: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): Self.escape(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            let keys = o.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, k) in keys.enumerated() {
                if i > 0 { out += "," }
                Self.escape(k, into: &out)
                out += ":"
                o[k]?.write(into: &out)
            }
            out += "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escape: append them whole (the sync service re-checks every event's form).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    // MARK: - Reading back (for `registry show` and the audit)

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }

    /// Parses JSON text (as produced by `canonical`, or any JSON without fractional numbers).
    public init(parsing text: String) throws {
        var p = Parser(bytes: Array(text.utf8))
        self = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw RegistryError.invalidRecord("trailing characters after JSON") }
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        /// Objects and arrays open around the current value. Every parse is recursive descent, so a
        /// line of a hundred thousand `[` from an import file would otherwise overflow the stack.
        var depth = 0
        static let maxDepth = 64

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard i < bytes.count else { throw RegistryError.invalidRecord("unexpected end of JSON") }
            let opens = bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[")
            if opens {
                guard depth < Self.maxDepth else { throw RegistryError.invalidRecord("JSON nested deeper than \(Self.maxDepth) levels") }
                depth += 1
            }
            defer { if opens { depth -= 1 } }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o: [String: JSONValue] = [:]
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipSpace()
                    let k = try string()
                    skipSpace()
                    try expect(":")
                    o[k] = try value()
                    skipSpace()
                    guard i < bytes.count else { throw RegistryError.invalidRecord("unterminated JSON object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("}")
                    return .object(o)
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    a.append(try value())
                    skipSpace()
                    guard i < bytes.count else { throw RegistryError.invalidRecord("unterminated JSON array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("]")
                    return .array(a)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                let start = i
                if bytes[i] == UInt8(ascii: "-") { i += 1 }
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
                guard i < bytes.count ? ![UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) : true,
                      let n = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                    throw RegistryError.invalidRecord("unsupported JSON number")
                }
                return .int(n)
            }
        }

        mutating func expect(_ c: Character) throws {
            guard i < bytes.count, let a = c.asciiValue, bytes[i] == a else { throw RegistryError.invalidRecord("expected \(c) in JSON") }
            i += 1
        }

        mutating func literal(_ s: String) throws {
            let b = Array(s.utf8)
            guard i + b.count <= bytes.count, Array(bytes[i..<(i + b.count)]) == b else { throw RegistryError.invalidRecord("bad JSON literal") }
            i += b.count
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                throw RegistryError.invalidRecord("bad \\u escape in JSON")
            }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            try expect("\"")
            var out = [UInt8]()
            while true {
                guard i < bytes.count else { throw RegistryError.invalidRecord("unterminated JSON string") }
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { break }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard i < bytes.count else { throw RegistryError.invalidRecord("unterminated JSON escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800..<0xDC00).contains(v) {
                        try expect("\\"); try expect("u")
                        let lo = try hex4()
                        guard (0xDC00..<0xE000).contains(lo) else { throw RegistryError.invalidRecord("bad surrogate pair in JSON") }
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    guard let s = Unicode.Scalar(v) else { throw RegistryError.invalidRecord("bad \\u escape in JSON") }
                    out.append(contentsOf: Array(String(s).utf8))
                default: out.append(e)
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw RegistryError.invalidRecord("JSON string is not UTF-8") }
            return s
        }
    }
}
