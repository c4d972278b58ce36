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
        let (y, m, d) = civil(fromDays: floorDiv(milliseconds(date), 86_400_000))
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The calendar month (`YYYY-MM`) in Vietnam's time (UTC+7, no daylight saving) of an instant
    /// given in milliseconds since 1970: campaign periods are local months.
    public static func vietnamMonth(milliseconds ms: Int) -> String {
        // Local time, within years 0001–9999 like every instant here.
        let local = min(max(ms, -62_135_596_800_000), 253_402_300_799_000 - 25_200_000) + 25_200_000
        let (y, m, _) = civil(fromDays: floorDiv(local, 86_400_000))
        return pad(y, 4) + "-" + pad(m, 2)
    }

    /// `2026-12-01T10:00:00.123Z`.
    ///
    /// Integer arithmetic on the proleptic Gregorian calendar rather than `Calendar`: it is on the
    /// path of every event (and of seeding a province), where building a `Calendar` and asking it
    /// for components cost more than the rest of sealing the event.
    public static func timestamp(_ date: Date) -> String {
        let ms = milliseconds(date)
        let (y, m, d) = civil(fromDays: floorDiv(ms, 86_400_000))
        let inDay = ms - floorDiv(ms, 86_400_000) * 86_400_000
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(inDay / 3_600_000, 2) + ":" + pad(inDay / 60_000 % 60, 2) + ":"
            + pad(inDay / 1000 % 60, 2) + "." + pad(inDay % 1000, 3) + "Z"
    }

    /// The ISO day `n` days after `iso` (before, for negative `n`); nil for an invalid date.
    public static func adding(days n: Int, to iso: String) -> String? {
        guard validated(iso) != nil, let y = Int(iso.prefix(4)), let m = Int(iso.dropFirst(5).prefix(2)), let d = Int(iso.suffix(2)) else { return nil }
        let (ry, rm, rd) = civil(fromDays: days(year: y, month: m, day: d) + n)
        return pad(ry, 4) + "-" + pad(rm, 2) + "-" + pad(rd, 2)
    }

    /// Milliseconds since 1970 (rounded down), clamped to years 0001–9999 so that a wild clock or
    /// a non-finite value can never trap the conversion.
    static func milliseconds(_ date: Date) -> Int {
        let t = date.timeIntervalSince1970
        let lower = -62_135_596_800.0, upper = 253_402_300_799.0
        guard t.isFinite else { return 0 }
        // A value a hair below a whole millisecond (binary floating point cannot hold .123
        // exactly) is that millisecond, not the one before.
        let x = min(max(t, lower), upper) * 1000
        let nearest = x.rounded()
        return Int(abs(x - nearest) < 1e-3 ? nearest : x.rounded(.down))
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (civil_from_days).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
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
