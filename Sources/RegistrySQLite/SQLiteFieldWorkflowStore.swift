import GRDB
import Registry

extension SQLiteRegistryStore: FieldWorkflowStore {
    public func cardsWithCAN(status: CardStatus, limit: Int) async throws -> [Card] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM cards WHERE status = ? AND can IS NOT NULL ORDER BY updated_at_ms, id_number, date_of_issue LIMIT ?
                    """, arguments: [status.rawValue, max(0, limit)]).map(SQLiteRows.card)
            }
        }
    }

    public func citizenIDs(prefix: String, after: String?, limit: Int) async throws -> [String] {
        try await guarded {
            try await pool.read { db in
                // A range on the primary key (the prefix's digits only, so LIKE wildcards cannot occur).
                try String.fetchAll(db, sql: """
                    SELECT id_number FROM citizens WHERE id_number >= ? AND id_number < ? AND id_number > ? ORDER BY id_number LIMIT ?
                    """, arguments: [prefix, prefix + "\u{FFFF}", after ?? "", max(0, limit)])
            }
        }
    }

    public func metadata() async throws -> [String: String] {
        try await guarded {
            try await pool.read { db in
                var out = [String: String]()
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM store_meta") { out[row["key"]] = row["value"] as String }
                return out
            }
        }
    }

    public func setMetadata(_ entries: [String: String]) async throws {
        try await guarded {
            try await write { db in
                for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
        }
    }
}
