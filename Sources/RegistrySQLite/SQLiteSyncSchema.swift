import GRDB
import Registry

/// The sync tables of a device store (issue #11 §4), a migration of its own:
/// - `outbox`: one row per event this store records, written in the event's transaction; an
///   entry is acknowledged (`acked_at_ms`, `receipt`) only when the centre's receipt names it.
///   Events recorded before this migration are enqueued by it, so none is left behind.
/// - `sync_state`: the last completed sync and the status-update cursor (one row).
/// - `sync_inbox`: every status update pulled from the centre and what was done with it — the
///   device's trace of changes it applied without a chain event of its own.
enum SQLiteSyncSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("sync: outbox, sync state, inbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE REFERENCES events(id),
                    device TEXT NOT NULL, seq INTEGER NOT NULL, acked_at_ms INTEGER, receipt TEXT
                );
                CREATE INDEX outbox_pending ON outbox(device, seq) WHERE acked_at_ms IS NULL;
                CREATE INDEX outbox_unacked ON outbox(position) WHERE acked_at_ms IS NULL;
                INSERT INTO outbox (event_id, device, seq) SELECT id, device, seq FROM events ORDER BY device, seq;
                CREATE TABLE sync_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1), last_sync_at_ms INTEGER, cursor INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO sync_state (id, cursor) VALUES (1, 0);
                CREATE TABLE sync_inbox (
                    event_id TEXT PRIMARY KEY NOT NULL, cursor INTEGER NOT NULL, kind TEXT NOT NULL, id_number TEXT NOT NULL,
                    outcome TEXT NOT NULL, detail TEXT, applied_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }

    /// Puts a just-appended event in the outbox (same transaction as the event).
    static func enqueue(_ e: ReadEvent, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (event_id, device, seq) VALUES (?, ?, ?)").execute(arguments: [e.id, e.device, e.seq])
    }
}
