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
    static func activation(_ db: Database, idPrefix p: String) throws -> (districts: [ActivationSeries], teams: [ActivationSeries]) {
        add(to: db)
        // One pass over the province's citizens (the district rule runs once per citizen): each
        // district's size, and its active accounts by month.
        var districtCitizens = [String: Int]()
        var byDistrict = [(group: String, month: String, count: Int)]()
        for row in try Row.fetchAll(db, sql: """
            SELECT cccd_district(c.place_of_residence) AS d,
                   CASE WHEN a.status = 'active' THEN cccd_month(a.observed_at_ms) END AS m, COUNT(*) AS n
            FROM citizens c LEFT JOIN accounts a ON a.id_number = c.id_number
            WHERE c.id_number LIKE ? GROUP BY d, m
            """, arguments: [p]) {
            let (d, n): (String, Int) = (row["d"] as String? ?? "", row["n"])
            districtCitizens[d, default: 0] += n
            if let m: String = row["m"] { byDistrict.append((d, m, n)) }
        }
        // The citizens each team met: its reads' distinct ID numbers.
        let met = "SELECT DISTINCT team, id_number FROM events WHERE kind = 'read' AND team IS NOT NULL AND id_number IS NOT NULL AND id_number LIKE ?"
        var teamCitizens = [String: Int]()
        for row in try Row.fetchAll(db, sql: "SELECT team, COUNT(*) AS n FROM (\(met)) GROUP BY team", arguments: [p]) {
            // Names equal as Swift strings (NFC and NFD spellings) are one team.
            if let t: String = row["team"] { teamCitizens[t, default: 0] += row["n"] as Int }
        }
        let byTeam = try Row.fetchAll(db, sql: """
            SELECT t.team AS g, cccd_month(a.observed_at_ms) AS m, COUNT(*) AS n
            FROM (\(met)) t JOIN accounts a ON a.id_number = t.id_number WHERE a.status = 'active' GROUP BY g, m
            """, arguments: [p]).compactMap { row -> (group: String, month: String, count: Int)? in
            // A month is NULL only for a value that is not an integer (a hand-edited file): not counted.
            guard let g: String = row["g"], let m: String = row["m"] else { return nil }
            return (g, m, row["n"])
        }
        return (ActivationSeries.build(citizens: districtCitizens, activations: byDistrict),
                ActivationSeries.build(citizens: teamCitizens, activations: byTeam))
    }
}
