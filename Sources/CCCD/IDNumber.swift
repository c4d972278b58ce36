import MRTD

/// The 12-digit personal identification number (số định danh cá nhân):
/// province of birth registration (3) · century and sex (1) · year of birth (2) · serial (6).
public struct IDNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let digits: String

    public init(_ text: String) throws {
        guard ASCIIDigits.isDigits(text, count: 12) else { throw CCCDError.invalidIDNumber }
        digits = text
    }

    /// Decoding validates like `init(_:)`: the accessors below rely on 12 ASCII digits.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(try c.decode(String.self, forKey: .digits))
    }

    private enum CodingKeys: String, CodingKey { case digits }

    public var provinceCode: String { String(digits.prefix(3)) }
    public var provinceName: String? { Province.names[provinceCode] }

    /// 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s.
    /// `digits` is 12 ASCII digits (checked by both initialisers), so byte 3 is 0-9.
    public var centuryDigit: Int { Int(Array(digits.utf8)[3] &- 0x30) }
    public var sex: Character { centuryDigit % 2 == 0 ? "M" : "F" }
    public var birthCentury: Int { 1900 + (centuryDigit / 2) * 100 }
    public var birthYear: Int {
        let b = Array(digits.utf8)  // 12 ASCII digits, as for centuryDigit
        return birthCentury + Int(b[4] &- 0x30) * 10 + Int(b[5] &- 0x30)
    }

    /// The BAC document number: the last 9 digits.
    public var documentNumber: String { String(digits.suffix(9)) }
    /// The community-practice CAN: the last 6 digits.
    public var defaultCAN: String { String(digits.suffix(6)) }
    /// The TD1 MRZ check digit over all 12 digits (line 1, position 30).
    /// Always a digit: every character of `digits` has a check-digit value (checked in the initialisers).
    public var checkDigit: Character { CheckDigit.character(digits) ?? "<" }

    /// Structural observations worth a warning, never a rejection.
    public var warnings: [String] {
        provinceName == nil ? ["unknown province code \(provinceCode)"] : []
    }

    /// Redacted: only the province code is shown, so logs never carry the number.
    public var description: String { "IDNumber(\(provinceCode)·········)" }
}

public enum CCCDError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidIDNumber
    case invalidDate(String)
    case invalidField(String)

    public var description: String {
        switch self {
        case .invalidField(let s): return s
        case .invalidIDNumber: return "ID number must be exactly 12 digits"
        case .invalidDate(let f): return "\(f) is not a valid date"
        }
    }
}
