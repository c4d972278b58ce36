import Logging
import PostgresNIO
import Registry

/// Activation per district and per team for the central store. The district and month rules are
/// `ResidenceDistrict` and `ISODate.vietnamMonth` spelled in SQL (the store suite checks that every
/// store counts alike); grouping happens in the server, so a province's million citizens never
/// cross the wire.
enum PostgresStats {
    /// `ResidenceDistrict.of`: the part before the last comma, trimmed of spaces, when it starts
    /// with a district-level unit's name. `split_part(…, -2)` (PostgreSQL 14, checked by
    /// `migrate`): a regular expression cutting the same part took 15 times as long over a
    /// province (3.4 s instead of 0.23 s for 754,277 citizens).
    static let district = """
        CASE WHEN btrim(split_part(COALESCE(place_of_residence, ''), ',', -2)) ~ '^(Huyện|Quận|Thị xã|Thành phố) '
             THEN btrim(split_part(place_of_residence, ',', -2)) ELSE '' END
        """

    /// `ISODate.vietnamMonth`: the UTC+7 calendar month of a millisecond timestamp, clamped to
    /// years 0001–9999 like it.
    static func month(_ column: String) -> String {
        "to_char(to_timestamp(floor((LEAST(GREATEST(\(column), -62135596800000), 253402275599000) + 25200000) / 1000.0)) "
            + "AT TIME ZONE 'UTC', 'YYYY-MM')"
    }

    static func activation(_ client: PostgresClient, idPrefix p: String, logger: Logger) async throws
        -> (districts: [ActivationSeries], teams: [ActivationSeries]) {
        // One pass over the province's citizens: each district's size, and its active accounts by month.
        var districtCitizens = [String: Int]()
        var byDistrict = [(group: String, month: String, count: Int)]()
        for try await (d, m, n) in try await client.query("""
            SELECT \(unescaped: district.replacingOccurrences(of: "place_of_residence", with: "c.place_of_residence")),
                   CASE WHEN a.status = 'active' THEN \(unescaped: month("a.observed_at_ms")) END, COUNT(*)::bigint
            FROM citizens c LEFT JOIN accounts a ON a.id_number = c.id_number
            WHERE c.id_number LIKE \(p) GROUP BY 1, 2
            """, logger: logger).decode((String, String?, Int).self) {
            districtCitizens[d, default: 0] += n
            if let m { byDistrict.append((d, m, n)) }
        }
        // The citizens each team met: its reads' distinct ID numbers.
        var teamCitizens = [String: Int]()
        for try await (t, n) in try await client.query("""
            SELECT team, COUNT(*)::bigint FROM (
                SELECT DISTINCT team, id_number FROM events
                WHERE kind = 'read' AND team IS NOT NULL AND id_number IS NOT NULL AND id_number LIKE \(p)) t
            GROUP BY 1
            """, logger: logger).decode((String, Int).self) {
            // Names equal as Swift strings (NFC and NFD spellings) are one team.
            teamCitizens[t, default: 0] += n
        }
        var byTeam = [(group: String, month: String, count: Int)]()
        for try await (t, m, n) in try await client.query("""
            SELECT t.team, \(unescaped: month("a.observed_at_ms")), COUNT(*)::bigint
            FROM (SELECT DISTINCT team, id_number FROM events
                  WHERE kind = 'read' AND team IS NOT NULL AND id_number IS NOT NULL AND id_number LIKE \(p)) t
            JOIN accounts a ON a.id_number = t.id_number WHERE a.status = 'active' GROUP BY 1, 2
            """, logger: logger).decode((String, String, Int).self) {
            byTeam.append((t, m, n))
        }
        return (ActivationSeries.build(citizens: districtCitizens, activations: byDistrict),
                ActivationSeries.build(citizens: teamCitizens, activations: byTeam))
    }
}
