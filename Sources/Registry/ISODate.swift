import Foundation

/// Calendar dates as ISO 8601 `YYYY-MM-DD` strings (lexicographic order = date order), and the
/// timestamps events carry (UTC, milliseconds) — one formatter so hashes are reproducible.
public enum ISODate {
    /// The value if it is a valid `YYYY-MM-DD` calendar date, else nil.
    public static func validated(_ s: String) -> String? {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1800...2200).contains(y), (1...12).contains(m) else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d) ? s : nil
    }

    /// The UTC calendar day of an instant.
    public static func day(of date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return pad(c.year ?? 1970, 4) + "-" + pad(c.month ?? 1, 2) + "-" + pad(c.day ?? 1, 2)
    }

    /// `2026-12-01T10:00:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let secs = ms / 1000, milli = ms % 1000
        let d = Date(timeIntervalSince1970: TimeInterval(secs))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return pad(c.year ?? 1970, 4) + "-" + pad(c.month ?? 1, 2) + "-" + pad(c.day ?? 1, 2) + "T"
            + pad(c.hour ?? 0, 2) + ":" + pad(c.minute ?? 0, 2) + ":" + pad(c.second ?? 0, 2) + "." + pad(Int(milli), 3) + "Z"
    }

    /// Whole years from `birth` to `day` (both ISO dates).
    public static func age(birth: String, on day: String) -> Int? {
        guard validated(birth) != nil, validated(day) != nil, let by = Int(birth.prefix(4)), let dy = Int(day.prefix(4)) else { return nil }
        return dy - by - (day.dropFirst(5) < birth.dropFirst(5) ? 1 : 0)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
