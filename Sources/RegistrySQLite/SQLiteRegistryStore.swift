import Foundation
import GRDB
import Registry

/// The default store: one SQLite file through GRDB, WAL mode (readers never block the writer),
/// created and migrated on first use. Every `transact` is one IMMEDIATE transaction, so writers
/// are serialised and device chains stay linear.
public final class SQLiteRegistryStore: RegistryStore {
    let pool: DatabasePool
    let checkpointer: WALCheckpointer
    public let path: String

    /// `~/.local/share/cccd/registry.sqlite`.
    public static var defaultPath: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/cccd/registry.sqlite"
    }

    public convenience init(path: String) throws {
        try self.init(path: path, walCheckpointBytes: 4 << 20)
    }

    /// `walCheckpointBytes`: the WAL size past which a background checkpoint runs.
    init(path: String, walCheckpointBytes: Int) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints run in the background (WALCheckpointer), never inside a commit.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        checkpointer = WALCheckpointer(path: path, threshold: walCheckpointBytes)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw RegistryError.store("cannot open \(path): \(Self.message(error))")
        }
    }

    public func migrate() async throws {
        do { try SQLiteMigrations.migrator.migrate(pool) } catch { throw RegistryError.store("migration failed: \(Self.message(error))") }
    }

    public func close() async throws {
        checkpointer.close()
        try? pool.close()
    }

    /// A write transaction, then a look at the WAL's size (see `WALCheckpointer`). Every write of
    /// the store goes through here.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        let value = try await pool.write(updates)
        if checkpointer.didCommit() {
            // The WAL outgrew the background checkpoints: catch up on the writer and truncate it
            // (TRUNCATE waits, within the busy timeout, for a background checkpoint in progress).
            try? await pool.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        }
        return value
    }

    static func message(_ e: Error) -> String {
        if let d = e as? DatabaseError { return d.message ?? "\(d.resultCode)" }
        return "\(e)"
    }

    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as RegistryError { throw e } catch let e as DatabaseError {
            throw RegistryError.store(Self.message(e))
        }
    }

    // MARK: - Reads

    public func snapshots(_ ids: [String]) async throws -> [String: Snapshot] {
        try await guarded { try await pool.read { db in try Self.snapshots(ids, db) } }
    }

    static func snapshots(_ ids: [String], _ db: Database) throws -> [String: Snapshot] {
        var out = [String: Snapshot]()
        for id in ids {
            out[id] = Snapshot(
                citizen: try Row.fetchOne(db, sql: "SELECT * FROM citizens WHERE id_number = ?", arguments: [id]).map(SQLiteRows.citizen),
                cards: try Row.fetchAll(db, sql: "SELECT * FROM cards WHERE id_number = ? ORDER BY date_of_issue", arguments: [id]).map(SQLiteRows.card),
                account: try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id_number = ?", arguments: [id]).map(SQLiteRows.account))
        }
        return out
    }

    // MARK: - Writes

    public func transact<T: Sendable>(ids: [String], device: String,
                                      _ decide: @Sendable ([String: Snapshot]) throws -> (Mutation, T)) async throws -> T {
        try await guarded {
            try await write { db in
                let (m, value) = try decide(try Self.snapshots(ids, db))
                try Self.apply(m, device: device, db, insertOnly: false)
                return value
            }
        }
    }

    public func bulkInsert(_ m: Mutation, device: String) async throws -> Int {
        // Rows in key order fill B-tree pages sequentially; a large page cache keeps the
        // randomly placed ID numbers' pages in memory between batches.
        var rows = m
        rows.citizens.sort { $0.idNumber < $1.idNumber }
        rows.cards.sort { ($0.idNumber, $0.dateOfIssue) < ($1.idNumber, $1.dateOfIssue) }
        rows.accounts.sort { $0.idNumber < $1.idNumber }
        let sorted = rows
        return try await guarded {
            try await write { db in
                try db.execute(sql: "PRAGMA cache_size = -262144")
                return try Self.apply(sorted, device: device, db, insertOnly: true)
            }
        }
    }

    /// Writes the rows and chains the events; returns how many citizens were inserted or replaced.
    @discardableResult
    static func apply(_ m: Mutation, device: String, _ db: Database, insertOnly: Bool) throws -> Int {
        let verb = insertOnly ? "INSERT OR IGNORE" : "INSERT OR REPLACE"
        let before = db.totalChangesCount
        if !m.citizens.isEmpty {
            let s = try db.cachedStatement(sql: "\(verb) INTO citizens VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            for c in m.citizens { try s.execute(arguments: SQLiteRows.arguments(c)) }
        }
        let citizensWritten = db.totalChangesCount - before
        if !m.cards.isEmpty {
            let s = try db.cachedStatement(sql: "\(verb) INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
            for c in m.cards { try s.execute(arguments: SQLiteRows.arguments(c)) }
        }
        if !m.accounts.isEmpty {
            let s = try db.cachedStatement(sql: "\(verb) INTO accounts VALUES (?,?,?,?,?,?)")
            for a in m.accounts { try s.execute(arguments: SQLiteRows.arguments(a)) }
        }
        if !m.events.isEmpty {
            var head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events WHERE device = ? ORDER BY seq DESC LIMIT 1", arguments: [device])
                .map { (seq: $0["seq"] as Int, hash: $0["hash"] as String) }
            let s = try db.cachedStatement(sql: "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)")
            for d in m.events {
                let e = ReadEvent.seal(d, device: device, after: head)
                try s.execute(arguments: [e.id, e.device, e.seq, e.at, e.kind.rawValue, e.idNumber, e.station, e.team, e.payload, e.previousHash, e.hash])
                try SQLiteSyncSchema.enqueue(e, db)
                head = (e.seq, e.hash)
            }
        }
        return citizensWritten
    }

    // MARK: - Events

    public func events(after: (device: String, seq: Int)?, limit: Int) async throws -> [ReadEvent] {
        try await guarded {
            try await pool.read { db in
                let rows: [Row]
                if let after {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE (device, seq) > (?, ?) ORDER BY device, seq LIMIT ?",
                                            arguments: [after.device, after.seq, limit])
                } else {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY device, seq LIMIT ?", arguments: [limit])
                }
                return try rows.map(SQLiteRows.event)
            }
        }
    }

    public func recentEvents(idNumber: String, limit: Int) async throws -> [ReadEvent] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM events WHERE id_number = ? ORDER BY at DESC, seq DESC LIMIT ?", arguments: [idNumber, limit])
                    .map(SQLiteRows.event)
            }
        }
    }

    // MARK: - Stats

    public func stats(province: String?, today: String) async throws -> RegistryStats {
        try await guarded {
            try await pool.read { db in
                var st = RegistryStats(province: province)
                let p = (province ?? "") + "%"
                st.citizens = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM citizens WHERE id_number LIKE ?", arguments: [p]) ?? 0
                st.eligibleCitizens = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM citizens WHERE id_number LIKE ? AND date_of_birth <= ?",
                                                       arguments: [p, StatsRules.eligibleBornOnOrBefore(today)]) ?? 0
                for row in try Row.fetchAll(db, sql: """
                    SELECT CASE WHEN date_of_expiry IS NOT NULL AND date_of_expiry < ? AND status NOT IN ('revoked','reportedLost','replaced')
                                THEN 'expired' ELSE status END AS s, COUNT(*) AS n
                    FROM cards WHERE id_number LIKE ? GROUP BY s
                    """, arguments: [today, p]) {
                    let n: Int = row["n"]
                    st.cardsByStatus[row["s"] as String] = n
                    st.cards += n
                }
                st.citizensWithCard = try Int.fetchOne(db, sql: """
                    SELECT COUNT(DISTINCT id_number) FROM cards WHERE id_number LIKE ? AND status = 'handedOver'
                    AND (date_of_expiry IS NULL OR date_of_expiry >= ?)
                    """, arguments: [p, today]) ?? 0
                var withAccount = 0
                for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM accounts WHERE id_number LIKE ? AND status != 'notRegistered' GROUP BY status",
                                            arguments: [p]) {
                    let n: Int = row["n"]
                    st.accountsByStatus[row["status"] as String] = n
                    withAccount += n
                }
                st.accountsByStatus["notRegistered"] = st.citizens - withAccount
                for row in try Row.fetchAll(db, sql: "SELECT level, COUNT(*) AS n FROM accounts WHERE id_number LIKE ? AND status = 'active' GROUP BY level",
                                            arguments: [p]) {
                    st.activeByLevel[(row["level"] as Int?).map(String.init) ?? "unknown"] = row["n"]
                }
                func groups(_ column: String) throws -> [RegistryStats.Group] {
                    try Row.fetchAll(db, sql: """
                        SELECT \(column) AS g, COUNT(*) AS n, COUNT(DISTINCT id_number) AS c FROM events
                        WHERE kind = 'read' AND \(column) IS NOT NULL AND (? = '%' OR id_number LIKE ?) GROUP BY \(column) ORDER BY \(column)
                        """, arguments: [p, p]).map { RegistryStats.Group(name: $0["g"], reads: $0["n"], citizens: $0["c"]) }
                }
                st.stations = try groups("station")
                st.teams = try groups("team")
                (st.activationByDistrict, st.activationByTeam) = try SQLiteStatsFunctions.activation(db, idPrefix: p)
                return st
            }
        }
    }
}
