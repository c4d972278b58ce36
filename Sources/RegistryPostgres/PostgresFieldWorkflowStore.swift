import PostgresNIO
import Registry

extension PostgresRegistryStore: FieldWorkflowStore {
    public func cardsWithCAN(status: CardStatus, limit: Int) async throws -> [Card] {
        try await guarded {
            var out = [Card]()
            for try await row in try await client.query("""
                SELECT \(unescaped: PostgresRows.cardColumns) FROM cards WHERE status = \(status.rawValue) AND can IS NOT NULL
                ORDER BY updated_at_ms, id_number, date_of_issue LIMIT \(max(0, limit))
                """, logger: logger) {
                out.append(try PostgresRows.card(row))
            }
            return out
        }
    }

    public func citizenIDs(prefix: String, after: String?, limit: Int) async throws -> [String] {
        try await guarded {
            var out = [String]()
            // A range on the primary key; `COLLATE "C"` compares bytes, as the ID numbers are ASCII digits.
            for try await id in try await client.query("""
                SELECT id_number FROM citizens WHERE id_number COLLATE "C" >= \(prefix) AND id_number COLLATE "C" < \(prefix + "~")
                AND id_number COLLATE "C" > \(after ?? "") ORDER BY id_number COLLATE "C" LIMIT \(max(0, limit))
                """, logger: logger).decode(String.self) {
                out.append(id)
            }
            return out
        }
    }

    public func metadata() async throws -> [String: String] {
        try await guarded {
            var out = [String: String]()
            for try await (k, v) in try await client.query("SELECT key, value FROM store_meta", logger: logger).decode((String, String).self) {
                out[k] = v
            }
            return out
        }
    }

    public func setMetadata(_ entries: [String: String]) async throws {
        try await guarded {
            try await client.withTransaction(logger: logger) { c in
                for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
                    try await c.query("""
                        INSERT INTO store_meta (key, value) VALUES (\(k), \(v)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                        """, logger: logger)
                }
            }
        }
    }
}
