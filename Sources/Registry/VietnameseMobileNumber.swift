import MRTDCrypto

/// A Vietnamese mobile number (the contact a level-2 VNeID dossier needs, Decree 69/2024):
/// `0` + 9 digits, `84` + 9 digits or `+84` + 9 digits (spaces, dots and dashes ignored), the
/// first national digit 3, 5, 7, 8 or 9 (the mobile ranges since the 2018 renumbering).
///
/// It is never logged, printed or stored in full: events are append-only and travel to the
/// centre, so an application event keeps only `masked` (the last three digits) and `digest`, a
/// SHA-256 binding the number to the citizen, with which the centre can check a number the
/// citizen gives later. Ten digits are easy to enumerate: the digest is a check value, not a
/// secret, and is treated as personal data like the rest of the event.
public struct VietnameseMobileNumber: Sendable, Hashable, CustomStringConvertible {
    /// E.164, e.g. `+84912345678`.
    let e164: String

    public init?(_ text: String) {
        var digits = ""
        var plus = false
        for (i, ch) in text.enumerated() {
            if ch == " " || ch == "." || ch == "-" { continue }
            if ch == "+" && i == 0 { plus = true; continue }
            guard ch.isASCII, ch.isNumber else { return nil }
            digits.append(ch)
        }
        let national: Substring
        if plus {
            guard digits.hasPrefix("84"), digits.count == 11 else { return nil }
            national = digits.dropFirst(2)
        } else if digits.count == 11 && digits.hasPrefix("84") {
            national = digits.dropFirst(2)
        } else if digits.count == 10 && digits.hasPrefix("0") {
            national = digits.dropFirst(1)
        } else {
            return nil
        }
        guard national.count == 9, let first = national.first, "35789".contains(first) else { return nil }
        e164 = "+84" + national
    }

    /// `+84******678`: enough for an officer to recognise the number, not to use it.
    public var masked: String { "+84" + String(repeating: "*", count: 6) + e164.suffix(3) }

    /// Lower-case hex SHA-256 of `cccd-vneid-phone:v1:<ID number>:<E.164>`.
    public func digest(idNumber: String) -> String {
        Hex.string(HashAlgorithm.sha256.hash(Array("cccd-vneid-phone:v1:\(idNumber):\(e164)".utf8)))
    }

    /// Never the number itself.
    public var description: String { masked }
}
