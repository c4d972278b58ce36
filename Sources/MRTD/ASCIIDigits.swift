/// Digits, as every card format and option in this toolkit means them: the ASCII bytes 0-9.
///
/// Swift's `Character.isNumber` also accepts "٠", "½" or "0\u{301}" (a digit with a combining
/// mark), and `Int(String)` accepts a leading "+" or "-": neither is a digit of an MRZ, a CAN, an
/// ID number or a DG13 date. Checks work on the UTF-8 bytes, so a grapheme cluster can never
/// pass for a digit. The one helper for the MRTD layer and every layer above it.
package enum ASCIIDigits {
    /// True when `c` is exactly one of the scalars U+0030…U+0039.
    package static func isDigit(_ c: Character) -> Bool {
        c.utf8.count == 1 && c.utf8.first.map(isDigit) == true
    }

    package static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// True when `s` is non-empty and every byte is an ASCII digit (and, if given, there are
    /// exactly `count` of them).
    package static func isDigits<S: StringProtocol>(_ s: S, count: Int? = nil) -> Bool {
        let bytes = s.utf8
        if let count, bytes.count != count { return false }
        return !bytes.isEmpty && bytes.allSatisfy(isDigit)
    }

    /// The value of a run of ASCII digits (at most 18, so it always fits an `Int`); nil otherwise.
    package static func value<S: StringProtocol>(_ s: S) -> Int? {
        let bytes = s.utf8
        guard bytes.count <= 18, isDigits(s) else { return nil }
        // At most 18 digits: below 10^18 < Int.max, so neither step overflows.
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
