import GRDB

/// The schema, as versioned migrations (GRDB's `DatabaseMigrator` records applied ones in
/// `grdb_migrations`). Never edit a shipped migration: add the next one.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: citizens, cards, accounts, events") { db in
            try db.execute(sql: """
                CREATE TABLE citizens (
                    id_number TEXT PRIMARY KEY NOT NULL, full_name TEXT NOT NULL, date_of_birth TEXT NOT NULL, sex TEXT NOT NULL,
                    nationality TEXT, ethnicity TEXT, religion TEXT, place_of_origin TEXT, place_of_residence TEXT,
                    identifying_marks TEXT, father_name TEXT, mother_name TEXT, spouse_name TEXT, old_id_number TEXT,
                    version INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, source TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE cards (
                    id_number TEXT NOT NULL REFERENCES citizens(id_number), date_of_issue TEXT NOT NULL, date_of_expiry TEXT,
                    status TEXT NOT NULL, can TEXT, sod_sha256 TEXT, signer_issuer TEXT, signer_serial TEXT,
                    ca_key_sha256 TEXT, aa_key_sha256 TEXT, updated_at_ms INTEGER NOT NULL, source TEXT NOT NULL,
                    PRIMARY KEY (id_number, date_of_issue)
                ) WITHOUT ROWID;
                CREATE INDEX cards_sod ON cards(sod_sha256) WHERE sod_sha256 IS NOT NULL;
                CREATE TABLE accounts (
                    id_number TEXT PRIMARY KEY NOT NULL REFERENCES citizens(id_number), status TEXT NOT NULL, level INTEGER,
                    reason TEXT, source TEXT NOT NULL, observed_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE events (
                    id TEXT PRIMARY KEY NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
                    id_number TEXT, station TEXT, team TEXT, payload TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,
                    UNIQUE (device, seq)
                );
                CREATE INDEX events_citizen ON events(id_number, at);
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
        }
        // Field workflows (issue 11): the store's own metadata (a team extract's origin and time)
        // and why a card is in its status (`reprint` reasons).
        m.registerMigration("v2: store_meta, card status reasons") { db in
            try db.execute(sql: """
                CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                ALTER TABLE cards ADD COLUMN status_reasons TEXT;
                CREATE INDEX cards_queue ON cards(status, updated_at_ms) WHERE can IS NOT NULL;
                """)
        }
        SQLiteSyncSchema.register(&m)
        return m
    }
}
