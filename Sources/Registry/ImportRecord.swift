import Foundation

/// One row of `cccd registry import`: JSON Lines (`{"type": "citizen" | "card" | "vneid", ...}`,
/// keys as in the read contract) or CSV with the same names as header columns.
public enum ImportRecord: Sendable, Hashable {
    case citizen(Citizen)
    case card(Card)
    case account(VNeIDAccount)

    public var idNumber: String {
        switch self {
        case .citizen(let c): return c.idNumber
        case .card(let c): return c.idNumber
        case .account(let a): return a.idNumber
        }
    }

    /// Builds a record from decoded fields (`type` may be given by the caller for CSV files).
    /// Throws `RegistryError.invalidRecord` with the reason.
    public init(fields f: [String: JSONValue], type given: String? = nil, source: RecordSource = .registry, now: Date) throws {
        func text(_ k: String) throws -> String? {
            switch f[k] {
            case nil, .null?: return nil
            case .string(let s)?:
                // No record field holds a control character; a NUL would even end the text early
                // in SQLite's C API and be refused by PostgreSQL, splitting the stores.
                if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw RegistryError.invalidRecord("\(k) contains a control character")
                }
                return s.isEmpty ? nil : s
            case .int(let i)?: return String(i)
            default: throw RegistryError.invalidRecord("\(k) must be a string")
            }
        }
        func required(_ k: String) throws -> String {
            guard let v = try text(k) else { throw RegistryError.invalidRecord("\(k) is missing") }
            return v
        }
        func sexValue() throws -> String {
            let raw = try required("sex")
            return Citizen.sexLetter(raw) ?? raw
        }
        guard let type = try given ?? text("type") else { throw RegistryError.invalidRecord("type is missing") }
        switch type {
        case "citizen":
            let c = Citizen(idNumber: try required("idNumber"), fullName: try required("fullName"), dateOfBirth: try required("dateOfBirth"),
                            sex: try sexValue(), nationality: try text("nationality"), ethnicity: try text("ethnicity"),
                            religion: try text("religion"), placeOfOrigin: try text("placeOfOrigin"),
                            placeOfResidence: try text("placeOfResidence"), identifyingMarks: try text("identifyingMarks"),
                            fatherName: try text("fatherName"), motherName: try text("motherName"), spouseName: try text("spouseName"),
                            oldIdNumber: try text("oldIdNumber"), version: 1, updatedAt: now, source: source)
            try c.validate()
            self = .citizen(c)
        case "card":
            let statusText = try required("status")
            guard let status = CardStatus(rawValue: statusText) else { throw RegistryError.invalidRecord("unknown card status \(statusText)") }
            let c = Card(idNumber: try required("idNumber"), dateOfIssue: try required("dateOfIssue"), dateOfExpiry: try text("dateOfExpiry"),
                         status: status, can: try text("can"), updatedAt: now, source: source)
            try c.validate()
            self = .card(c)
        case "vneid":
            let statusText = try required("status")
            guard let status = VNeIDStatus(rawValue: statusText) else { throw RegistryError.invalidRecord("unknown VNeID status \(statusText)") }
            var level: Int?
            if let l = try text("level") {
                guard let n = Int(l) else { throw RegistryError.invalidRecord("level must be 1 or 2") }
                level = n
            }
            var reason: LockReason?
            if let r = try text("reason") {
                guard let lr = LockReason(rawValue: r) else { throw RegistryError.invalidRecord("unknown lock reason \(r)") }
                reason = lr
            }
            let a = VNeIDAccount(idNumber: try required("idNumber"), status: status, level: level, reason: reason, source: source, observedAt: now)
            try a.validate()
            self = .account(a)
        default:
            throw RegistryError.invalidRecord("unknown type \(type)")
        }
    }
}

/// Splits import files into rows of fields.
public enum ImportFormat {
    /// One JSON object per line; blank lines are skipped.
    public static func jsonLine(_ line: String) throws -> [String: JSONValue] {
        guard case .object(let o) = try JSONValue(parsing: line) else { throw RegistryError.invalidRecord("line is not a JSON object") }
        return o
    }

    /// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Returns rows with
    /// the line number each starts on.
    public static func csvRows(_ text: String) throws -> [(line: Int, fields: [String])] {
        var rows = [(Int, [String])]()
        var field = "", fields = [String](), inQuotes = false, line = 1, rowStart = 1, atFieldStart = true
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart: inQuotes = true; atFieldStart = false
            case ",": fields.append(field); field = ""; atFieldStart = true
            case "\r": break
            case "\n":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowStart, fields)) }
                fields = []; field = ""; atFieldStart = true
                line += 1; rowStart = line
            default: field.unicodeScalars.append(c); atFieldStart = false
            }
        }
        if inQuotes { throw RegistryError.invalidRecord("unterminated quoted field starting on line \(rowStart)") }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); rows.append((rowStart, fields)) }
        return rows
    }

    /// The record type of a CSV file without a `type` column, from its header.
    public static func csvType(header: [String]) -> String? {
        let h = Set(header)
        if h.contains("fullName") { return "citizen" }
        if h.contains("dateOfIssue") && h.contains("status") { return "card" }
        if h.contains("status") { return "vneid" }
        return nil
    }
}
