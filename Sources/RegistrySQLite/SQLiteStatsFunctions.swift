import GRDB
import Registry

/// The campaign periods and districts as SQL functions, so SQLite groups rows by exactly the rules
/// the other stores apply (`ResidenceDistrict`, `ISODate.vietnamMonth`) without copying them to SQL.
enum SQLiteStatsFunctions {
    static let district = DatabaseFunction("cccd_district", argumentCount: 1, pure: true) { values in
        ResidenceDistrict.of(String.fromDatabaseValue(values[0]))
    }

    static let month = DatabaseFunction("cccd_month", argumentCount: 1, pure: true) { values in
        Int.fromDatabaseValue(values[0]).map { ISODate.vietnamMonth(milliseconds: $0) }
    }

    static func add(to db: Database) {
        db.add(function: district)
        db.add(function: month)
    }

    /// Activation per district of residence and per team, for citizens whose ID starts with `idPrefix` (`035%`, or `%`).
    /// Each grouping is one pass over its citizens: the group's size, and its active accounts by month.
    static func activation(_ db: Database, idPrefix p: String) throws -> (districts: [ActivationSeries], teams: [ActivationSeries]) {
        add(to: db)
        // The district rule runs once per citizen.
        let districts = try series(db, """
            SELECT cccd_district(c.place_of_residence) AS g,
                   CASE WHEN a.status = 'active' THEN cccd_month(a.observed_at_ms) END AS m, COUNT(*) AS n
            FROM citizens c LEFT JOIN accounts a ON a.id_number = c.id_number
            WHERE c.id_number LIKE ? GROUP BY g, m
            """, idPrefix: p)
        // The citizens each team met: its reads' distinct ID numbers.
        let teams = try series(db, """
            SELECT t.team AS g, CASE WHEN a.status = 'active' THEN cccd_month(a.observed_at_ms) END AS m, COUNT(*) AS n
            FROM (SELECT DISTINCT team, id_number FROM events
                  WHERE kind = 'read' AND team IS NOT NULL AND id_number IS NOT NULL AND id_number LIKE ?) t
            LEFT JOIN accounts a ON a.id_number = t.id_number GROUP BY g, m
            """, idPrefix: p)
        return (districts, teams)
    }

    /// Folds `(g, m, n)` rows — `n` citizens of group `g`, active since month `m` (NULL: not
    /// active) — into series. Names equal as Swift strings (NFC and NFD spellings) are one group;
    /// a month is NULL too for a time that is not an integer (a hand-edited file): not counted.
    private static func series(_ db: Database, _ sql: String, idPrefix p: String) throws -> [ActivationSeries] {
        var citizens = [String: Int]()
        var activations = [(group: String, month: String, count: Int)]()
        for row in try Row.fetchAll(db, sql: sql, arguments: [p]) {
            let (g, n): (String, Int) = (row["g"] as String? ?? "", row["n"])
            citizens[g, default: 0] += n
            if let m: String = row["m"] { activations.append((g, m, n)) }
        }
        return ActivationSeries.build(citizens: citizens, activations: activations)
    }
}
