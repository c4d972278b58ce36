/// VNeID activation over time for one group of citizens: a district (from the place of residence),
/// or the citizens a team met. Campaigns report activation "per team, district, period"
/// (domain.md); the store keeps each account's current status with the time it was observed, so a
/// month here counts the accounts active now whose activation was observed in that month.
public struct ActivationSeries: Codable, Sendable, Hashable {
    public struct Month: Codable, Sendable, Hashable {
        /// `YYYY-MM`, a calendar month in Vietnam's time (UTC+7).
        public var month: String
        /// Accounts whose activation was observed in this month.
        public var activated: Int
        /// Accounts activated in this month or before: the numerator of the rate at its end.
        public var active: Int

        public init(month: String, activated: Int, active: Int) {
            self.month = month
            self.activated = activated
            self.active = active
        }
    }

    /// The district or team; "" for citizens whose residence names no district.
    public var name: String
    /// The group's citizens: the rate's denominator.
    public var citizens: Int
    /// Ascending; only months with an activation.
    public var months: [Month]

    public init(name: String, citizens: Int, months: [Month]) {
        self.name = name
        self.citizens = citizens
        self.months = months
    }

    /// Active accounts / citizens at the end of `month`'s entry.
    public func rate(_ month: Month) -> Double { citizens == 0 ? 0 : Double(month.active) / Double(citizens) }

    /// Groups from their sizes and `(group, month, activated)` counts: one series per group with
    /// citizens, months ascending and cumulated; named groups by name, the unnamed one last.
    public static func build(citizens: [String: Int], activations: [(group: String, month: String, count: Int)]) -> [ActivationSeries] {
        var perGroup = [String: [String: Int]]()
        for a in activations where a.count > 0 { perGroup[a.group, default: [:]][a.month, default: 0] += a.count }
        let names = Set(citizens.keys).union(perGroup.keys)
        return names.sorted { ($0.isEmpty ? 1 : 0, $0) < ($1.isEmpty ? 1 : 0, $1) }.map { name in
            var running = 0
            let months = (perGroup[name] ?? [:]).sorted { $0.key < $1.key }.map { m -> Month in
                running += m.value
                return Month(month: m.key, activated: m.value, active: running)
            }
            return ActivationSeries(name: name, citizens: citizens[name] ?? 0, months: months)
        }
    }
}

/// The district of a place of residence as Vietnamese addresses write it — "Thôn 1, Xã Thanh Hà,
/// Huyện Thanh Liêm, Hà Nam" — the part before the province when it names a district-level unit.
/// The citizen record has no district code, so this is the one rule every store applies (SQLite
/// calls it as a SQL function; PostgreSQL's `PostgresStats` spells the same rule in SQL).
/// Addresses written after the 2025 reform (commune, province) name no district: "".
public enum ResidenceDistrict {
    public static let prefixes = ["Huyện ", "Quận ", "Thị xã ", "Thành phố "]

    static let prefixBytes = prefixes.map { Array($0.utf8) }

    /// Works on the UTF-8 bytes, comparing them exactly as PostgreSQL's regular expression does
    /// (stored text is NFC), and builds a string only for a district: SQLite calls this once per
    /// citizen when a province's figures are counted.
    public static func of(_ residence: String?) -> String {
        guard var residence else { return "" }
        return residence.withUTF8 { district(in: $0) }
    }

    static func district(in b: UnsafeBufferPointer<UInt8>) -> String {
        let comma = UInt8(ascii: ","), space = UInt8(ascii: " ")
        guard let last = b.lastIndex(of: comma) else { return "" }
        var lo = b[..<last].lastIndex(of: comma).map { $0 + 1 } ?? 0
        var hi = last
        // Spaces only, as PostgreSQL's btrim: both stores must cut the same text.
        while lo < hi && b[lo] == space { lo += 1 }
        while hi > lo && b[hi - 1] == space { hi -= 1 }
        let part = UnsafeBufferPointer(rebasing: b[lo..<hi])
        guard prefixBytes.contains(where: { part.count > $0.count && part.starts(with: $0) }) else { return "" }
        return String(decoding: part, as: UTF8.self)
    }
}
