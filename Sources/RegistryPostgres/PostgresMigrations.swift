/// The schema as numbered migrations, recorded in `registry_migrations`; applied under an
/// advisory lock, each in the migrating transaction. Never edit a shipped migration: add one.
///
/// Events are append-only twice over: the connecting role loses UPDATE, DELETE and TRUNCATE on
/// the table (REVOKE, also from PUBLIC), and a trigger raises on any UPDATE or DELETE, so even a
/// role that re-grants itself cannot change history without first dropping the trigger.
enum PostgresMigrations {
    static let all: [(version: Int, name: String, sql: [String])] = [
        (1, "citizens, cards, accounts, events", [
            """
            CREATE TABLE citizens (
                id_number TEXT PRIMARY KEY, full_name TEXT NOT NULL, date_of_birth TEXT NOT NULL, sex TEXT NOT NULL,
                nationality TEXT, ethnicity TEXT, religion TEXT, place_of_origin TEXT, place_of_residence TEXT,
                identifying_marks TEXT, father_name TEXT, mother_name TEXT, spouse_name TEXT, old_id_number TEXT,
                version INTEGER NOT NULL, updated_at_ms BIGINT NOT NULL, source TEXT NOT NULL)
            """,
            """
            CREATE TABLE cards (
                id_number TEXT NOT NULL REFERENCES citizens(id_number), date_of_issue TEXT NOT NULL, date_of_expiry TEXT,
                status TEXT NOT NULL, can TEXT, sod_sha256 TEXT, signer_issuer TEXT, signer_serial TEXT,
                ca_key_sha256 TEXT, aa_key_sha256 TEXT, updated_at_ms BIGINT NOT NULL, source TEXT NOT NULL,
                PRIMARY KEY (id_number, date_of_issue))
            """,
            "CREATE INDEX cards_sod ON cards(sod_sha256) WHERE sod_sha256 IS NOT NULL",
            """
            CREATE TABLE accounts (
                id_number TEXT PRIMARY KEY REFERENCES citizens(id_number), status TEXT NOT NULL, level INTEGER,
                reason TEXT, source TEXT NOT NULL, observed_at_ms BIGINT NOT NULL)
            """,
            """
            CREATE TABLE events (
                id TEXT PRIMARY KEY, device TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
                id_number TEXT, station TEXT, team TEXT, payload TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,
                UNIQUE (device, seq))
            """,
            "CREATE INDEX events_citizen ON events(id_number, at)",
            """
            CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'events are append-only'; END $$
            """,
            "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC",
            "REVOKE UPDATE, DELETE, TRUNCATE ON events FROM CURRENT_USER",
        ]),
        // Field workflows (issue 11): the store's own metadata (a team extract's origin and time)
        // and why a card is in its status (`reprint` reasons).
        (2, "store_meta, card status reasons", [
            "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "ALTER TABLE cards ADD COLUMN status_reasons TEXT",
            "CREATE INDEX cards_queue ON cards(status, updated_at_ms) WHERE can IS NOT NULL",
        ]),
    ] + PostgresSyncSchema.migrations
}
