import Logging
import PostgresNIO
import Registry

/// Activation per district and per team for the central store. The district and month rules are
/// `ResidenceDistrict` and `ISODate.vietnamMonth` spelled in SQL (the store suite checks that every
/// store counts alike); grouping happens in the server, so a province's million citizens never
/// cross the wire.
enum PostgresStats {
    /// `ResidenceDistrict.of` of `column`: the part before the last comma, trimmed of spaces, when
    /// it starts with a district-level unit's name. `split_part(…, -2)` (PostgreSQL 14, checked by
    /// `migrate`): a regular expression cutting the same part took 15 times as long over a
    /// province (3.4 s instead of 0.23 s for 754,277 citizens).
    static func district(_ column: String) -> String {
        """
        CASE WHEN btrim(split_part(COALESCE(\(column), ''), ',', -2)) ~ '^(Huyện|Quận|Thị xã|Thành phố) '
             THEN btrim(split_part(\(column), ',', -2)) ELSE '' END
        """
    }

    /// `ISODate.vietnamMonth`: the UTC+7 calendar month of a millisecond timestamp, clamped to
    /// years 0001–9999 like it.
    static func month(_ column: String) -> String {
        "to_char(to_timestamp(floor((LEAST(GREATEST(\(column), -62135596800000), 253402275599000) + 25200000) / 1000.0)) "
            + "AT TIME ZONE 'UTC', 'YYYY-MM')"
    }

    /// Each grouping is one pass over its citizens: the group's size, and its active accounts by month.
    static func activation(_ client: PostgresClient, idPrefix p: String, logger: Logger) async throws
        -> (districts: [ActivationSeries], teams: [ActivationSeries]) {
        let districts = try await series(client.query("""
            SELECT \(unescaped: district("c.place_of_residence")),
                   CASE WHEN a.status = 'active' THEN \(unescaped: month("a.observed_at_ms")) END, COUNT(*)::bigint
            FROM citizens c LEFT JOIN accounts a ON a.id_number = c.id_number
            WHERE c.id_number LIKE \(p) GROUP BY 1, 2
            """, logger: logger))
        // The citizens each team met: its reads' distinct ID numbers.
        let teams = try await series(client.query("""
            SELECT t.team, CASE WHEN a.status = 'active' THEN \(unescaped: month("a.observed_at_ms")) END, COUNT(*)::bigint
            FROM (SELECT DISTINCT team, id_number FROM events
                  WHERE kind = 'read' AND team IS NOT NULL AND id_number IS NOT NULL AND id_number LIKE \(p)) t
            LEFT JOIN accounts a ON a.id_number = t.id_number GROUP BY 1, 2
            """, logger: logger))
        return (districts, teams)
    }

    /// Folds `(group, month, n)` rows — `n` citizens of the group, active since the month (NULL: not
    /// active) — into series; names equal as Swift strings (NFC and NFD spellings) are one group.
    private static func series(_ rows: PostgresRowSequence) async throws -> [ActivationSeries] {
        var citizens = [String: Int]()
        var activations = [(group: String, month: String, count: Int)]()
        for try await (g, m, n) in rows.decode((String, String?, Int).self) {
            citizens[g, default: 0] += n
            if let m { activations.append((g, m, n)) }
        }
        return ActivationSeries.build(citizens: citizens, activations: activations)
    }
}
