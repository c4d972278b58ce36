import Logging
import PostgresNIO
import Registry

/// The central sync tables, a migration of their own (version 20, apart from the domain's):
/// - `outbox`: every event this store originates (an officer's status change at the centre…),
///   written in the event's transaction; its `position` is the feed devices pull status updates
///   from. Writing it takes one advisory lock first, so positions become visible in
///   commit order and a device's cursor never skips a late commit. Events devices push are
///   stored in `events` only, not here.
/// - `sync_devices`: enrolled devices, their team and province scope, the SHA-256 of their
///   token (never the token), and when it was revoked.
enum PostgresSyncSchema {
    static let feedLock = 7_341_002

    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (20, "sync: outbox feed, devices", [
            """
            CREATE TABLE outbox (
                position BIGSERIAL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, device TEXT NOT NULL,
                seq BIGINT NOT NULL, acked_at_ms BIGINT, receipt TEXT)
            """,
            "INSERT INTO outbox (event_id, device, seq) SELECT id, device, seq FROM events ORDER BY device, seq",
            """
            CREATE TABLE sync_devices (
                device TEXT PRIMARY KEY, team TEXT NOT NULL, province TEXT, token_sha256 TEXT NOT NULL UNIQUE,
                created_at_ms BIGINT NOT NULL, revoked_at_ms BIGINT)
            """,
        ]),
    ]

    /// Puts a just-appended event in the outbox, taking the feed lock in the same statement (one
    /// round trip per event; the lock is re-entrant within the transaction).
    static func enqueue(_ e: ReadEvent, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.query("""
            INSERT INTO outbox (event_id, device, seq) SELECT \(e.id), \(e.device), \(e.seq) FROM (SELECT pg_advisory_xact_lock(\(feedLock))) AS l
            """, logger: logger)
    }
}
