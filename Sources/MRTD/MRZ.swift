import Foundation

/// A machine-readable zone (ICAO 9303-4/5/6): TD1 (ID cards, 3×30), TD2 (2×36) or TD3 (passports, 2×44).
///
/// Parsing validates every check digit it can; `init` throws a typed `MRZError` on the first one
/// that fails, so an MRZ value is always internally consistent. Dates stay `YYMMDD` strings as
/// printed: the century is a policy decision (see `MRZDate`).
public struct MRZ: Hashable, Sendable {
    public enum Format: String, Sendable, Hashable, Codable { case td1 = "TD1", td2 = "TD2", td3 = "TD3" }

    public let format: Format
    public let lines: [String]
    public let documentCode: String
    public let issuingState: String
    /// The full document number (for TD1 long numbers, including the part in the optional data).
    public let documentNumber: String
    public let documentNumberCheckDigit: Character
    public let optionalData1: String
    public let optionalData2: String
    public let dateOfBirth: String
    public let sex: Character
    public let dateOfExpiry: String
    public let nationality: String
    public let primaryIdentifier: String
    public let secondaryIdentifier: String

    /// Parses an MRZ given as lines separated by newlines, or as one string of 90/72/88 characters.
    public init(_ text: String) throws {
        // Only ASCII can be an MRZ: checking the scalars first means every Character below is one
        // byte, so a combining mark ("0\u{301}") or a non-ASCII digit never passes for a digit.
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { throw MRZError.invalidCharacter }
        let cleaned = text.uppercased().filter { !$0.isWhitespace }
        var lines: [String]
        let explicitLines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if explicitLines.count > 1 {
            lines = explicitLines.map { $0.uppercased() }
        } else {
            switch cleaned.count {
            case 90: lines = stride(from: 0, to: 90, by: 30).map { String(Array(cleaned)[$0..<($0 + 30)]) }
            case 72: lines = [String(cleaned.prefix(36)), String(cleaned.suffix(36))]
            case 88: lines = [String(cleaned.prefix(44)), String(cleaned.suffix(44))]
            default: throw MRZError.invalidLength(cleaned.count)
            }
        }
        for line in lines {
            guard line.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ASCIIDigits.isDigit($0) || $0 == 0x3C }) else {
                throw MRZError.invalidCharacter
            }
        }
        switch (lines.count, lines.first?.count ?? 0) {
        case (3, 30) where lines.allSatisfy({ $0.count == 30 }): self = try MRZ.parseTD1(lines)
        case (2, 36) where lines.allSatisfy({ $0.count == 36 }): self = try MRZ.parseTwoLine(lines, format: .td2)
        case (2, 44) where lines.allSatisfy({ $0.count == 44 }): self = try MRZ.parseTwoLine(lines, format: .td3)
        default: throw MRZError.invalidLength(lines.reduce(0) { $0 + $1.count })
        }
    }

    private init(format: Format, lines: [String], documentCode: String, issuingState: String, documentNumber: String,
                 documentNumberCheckDigit: Character, optionalData1: String, optionalData2: String, dateOfBirth: String,
                 sex: Character, dateOfExpiry: String, nationality: String, name: String) {
        self.format = format
        self.lines = lines
        self.documentCode = MRZ.trimFiller(documentCode)
        self.issuingState = MRZ.trimFiller(issuingState)
        self.documentNumber = documentNumber
        self.documentNumberCheckDigit = documentNumberCheckDigit
        self.optionalData1 = optionalData1
        self.optionalData2 = optionalData2
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.dateOfExpiry = dateOfExpiry
        self.nationality = MRZ.trimFiller(nationality)
        let parts = name.components(separatedBy: "<<")
        primaryIdentifier = MRZ.words(parts.first ?? "")
        secondaryIdentifier = MRZ.words(parts.dropFirst().joined(separator: "<"))
    }

    /// The text as printed, lines joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// "SURNAME GIVEN NAMES" with fillers as spaces.
    public var name: String {
        secondaryIdentifier.isEmpty ? primaryIdentifier : "\(primaryIdentifier) \(secondaryIdentifier)"
    }

    /// The BAC / PACE-MRZ key seed input: document number, date of birth, date of expiry, each with
    /// its check digit (ICAO 9303-11 §9.7.2). The document number is padded to at least 9 characters.
    public var accessKey: AccessKey {
        .mrz(documentNumber: documentNumber, dateOfBirth: dateOfBirth, dateOfExpiry: dateOfExpiry)
    }

    static func trimFiller(_ s: String) -> String {
        var t = Substring(s)
        while t.last == "<" { t = t.dropLast() }
        return String(t)
    }

    static func words(_ s: String) -> String {
        s.split(separator: "<").joined(separator: " ")
    }

    private static func field(_ line: String, _ from: Int, _ to: Int) -> String {
        let a = Array(line)
        return String(a[from..<to])
    }

    private static func char(_ line: String, _ at: Int) -> Character { Array(line)[at] }

    private static func requireDigit(_ field: String, _ cd: Character, _ name: String) throws {
        guard CheckDigit.compute(field).map({ Character(String($0)) }) == cd else {
            throw MRZError.checkDigitMismatch(field: name)
        }
    }

    private static func checkDate(_ d: String, _ name: String) throws {
        guard ASCIIDigits.isDigits(d, count: 6) else { throw MRZError.invalidDate(field: name) }
    }

    static func parseTD1(_ l: [String]) throws -> MRZ {
        var number = field(l[0], 5, 14)
        var cd = char(l[0], 14)
        var optional1 = field(l[0], 15, 30)
        if cd == "<" {
            // Long document number: the rest and its check digit lead the optional data.
            let opt = Array(optional1)
            guard let end = opt.firstIndex(of: "<"), end >= 2 else { throw MRZError.checkDigitMismatch(field: "documentNumber") }
            number = trimFiller(number) + String(opt[0..<(end - 1)])
            cd = opt[end - 1]
            optional1 = String(opt[(end)...])
        }
        try requireDigit(padNumber(number), cd, "documentNumber")
        let dob = field(l[1], 0, 6), doe = field(l[1], 8, 14)
        try checkDate(dob, "dateOfBirth")
        try checkDate(doe, "dateOfExpiry")
        try requireDigit(dob, char(l[1], 6), "dateOfBirth")
        try requireDigit(doe, char(l[1], 14), "dateOfExpiry")
        let composite = field(l[0], 5, 30) + field(l[1], 0, 7) + field(l[1], 8, 15) + field(l[1], 18, 29)
        try requireDigit(composite, char(l[1], 29), "composite")
        // Vietnamese ID cards: the 12-digit personal ID fills the optional data and position 30 of
        // line 1 is its own check digit (not the ICAO long-document-number rule).
        if field(l[0], 2, 5) == "VNM", let id = vietnameseID(l[0]) {
            try requireDigit(id, char(l[0], 29), "idNumber")
        }
        return MRZ(format: .td1, lines: l, documentCode: field(l[0], 0, 2), issuingState: field(l[0], 2, 5),
                   documentNumber: trimFiller(number), documentNumberCheckDigit: cd, optionalData1: optional1,
                   optionalData2: field(l[1], 18, 29), dateOfBirth: dob, sex: char(l[1], 7), dateOfExpiry: doe,
                   nationality: field(l[1], 15, 18), name: l[2])
    }

    /// TD2 and TD3 share line 2 up to position 28: number, nationality, birth, sex, expiry.
    static func parseTwoLine(_ l: [String], format: Format) throws -> MRZ {
        let width = format == .td2 ? 36 : 44
        let number = field(l[1], 0, 9), dob = field(l[1], 13, 19), doe = field(l[1], 21, 27)
        try checkDate(dob, "dateOfBirth")
        try checkDate(doe, "dateOfExpiry")
        try requireDigit(number, char(l[1], 9), "documentNumber")
        try requireDigit(dob, char(l[1], 19), "dateOfBirth")
        try requireDigit(doe, char(l[1], 27), "dateOfExpiry")
        let optional: String
        if format == .td3 {
            optional = field(l[1], 28, 42)
            let pcd = char(l[1], 42)
            if !(pcd == "<" && optional.allSatisfy { $0 == "<" }) {
                try requireDigit(optional, pcd, "personalNumber")
            }
        } else {
            optional = field(l[1], 28, 35)
        }
        let composite = field(l[1], 0, 10) + field(l[1], 13, 20) + field(l[1], 21, width - 1)
        try requireDigit(composite, char(l[1], width - 1), "composite")
        return MRZ(format: format, lines: l, documentCode: field(l[0], 0, 2), issuingState: field(l[0], 2, 5),
                   documentNumber: trimFiller(number), documentNumberCheckDigit: char(l[1], 9), optionalData1: optional,
                   optionalData2: "", dateOfBirth: dob, sex: char(l[1], 20), dateOfExpiry: doe,
                   nationality: field(l[1], 10, 13), name: field(l[0], 5, width))
    }

    /// The 12-digit ID in a Vietnamese TD1 line 1 (positions 16–27 followed by "<<"), if present.
    static func vietnameseID(_ line1: String) -> String? {
        let id = field(line1, 15, 27)
        guard ASCIIDigits.isDigits(id), field(line1, 27, 29) == "<<" else { return nil }
        return id
    }

    /// The Vietnamese personal ID number carried in the optional data, if this is such an MRZ.
    public var vietnameseIDNumber: String? {
        format == .td1 && issuingState == "VNM" ? MRZ.vietnameseID(lines[0]) : nil
    }

    /// Document numbers shorter than 9 characters are padded with '<' for check digits and keys.
    static func padNumber(_ n: String) -> String {
        n.count >= 9 ? n : n + String(repeating: "<", count: 9 - n.count)
    }
}

/// Why an MRZ was rejected. One-line messages; never the MRZ itself (it is personal data).
public enum MRZError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidLength(Int)
    case invalidCharacter
    case checkDigitMismatch(field: String)
    case invalidDate(field: String)

    public var description: String {
        switch self {
        case .invalidLength(let n): return "MRZ has \(n) characters; expected 90 (TD1), 72 (TD2) or 88 (TD3)"
        case .invalidCharacter: return "MRZ may contain only A-Z, 0-9 and '<'"
        case .checkDigitMismatch(let f): return "MRZ check digit of \(f) does not match"
        case .invalidDate(let f): return "MRZ \(f) is not a YYMMDD date"
        }
    }
}

/// The ICAO 9303-3 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, '<' as 0.
public enum CheckDigit {
    public static func compute(_ field: String) -> Int? {
        let weights = [7, 3, 1]
        var sum = 0
        // On bytes: anything but A-Z, 0-9 and '<' (including any non-ASCII) has no value.
        for (i, c) in field.utf8.enumerated() {
            let v: Int
            switch c {
            case 0x30...0x39: v = Int(c - 0x30)
            case 0x41...0x5A: v = Int(c - 0x41) + 10
            case 0x3C: v = 0
            default: return nil
            }
            // v ≤ 35 and weights ≤ 7: reduce as we go so no field length can overflow.
            sum = (sum + v * weights[i % 3]) % 10
        }
        return sum
    }

    public static func character(_ field: String) -> Character? {
        compute(field).map { Character(String($0)) }
    }
}
