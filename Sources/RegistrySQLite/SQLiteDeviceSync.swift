import Foundation
import GRDB
import Registry

/// The device side of sync on SQLite: the outbox read in chain order, receipts marked in one
/// transaction, and the centre's status updates applied with the pull cursor in one transaction.
extension SQLiteRegistryStore: DeviceSyncStore {
    public func pendingOutbox(device: String, after: Int, limit: Int) async throws -> [ReadEvent] {
        try await guarded {
            try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT e.* FROM outbox o JOIN events e ON e.id = o.event_id
                    WHERE o.device = ? AND o.seq > ? AND o.acked_at_ms IS NULL ORDER BY o.seq LIMIT ?
                    """, arguments: [device, after, limit]).map(SQLiteRows.event)
            }
        }
    }

    public func acknowledge(_ receipts: [OutboxReceipt], at: Date) async throws {
        guard !receipts.isEmpty else { return }
        try await guarded {
            try await write { db in
                let s = try db.cachedStatement(sql: "UPDATE outbox SET acked_at_ms = ?, receipt = ? WHERE event_id = ? AND seq = ? AND acked_at_ms IS NULL")
                let ms = SQLiteRows.ms(at)
                for r in receipts { try s.execute(arguments: [ms, r.result.rawValue, r.id, r.seq]) }
            }
        }
    }

    public func syncState() async throws -> DeviceSyncState {
        try await guarded {
            try await pool.read { db in
                let row = try Row.fetchOne(db, sql: "SELECT last_sync_at_ms, cursor FROM sync_state WHERE id = 1")
                let oldest = try String.fetchOne(db, sql: """
                    SELECT e.at FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.acked_at_ms IS NULL ORDER BY o.position LIMIT 1
                    """)
                let last: Int64? = row?["last_sync_at_ms"]
                return DeviceSyncState(lastSyncAt: last.map(SQLiteRows.date), oldestUnsyncedAt: oldest, cursor: row?["cursor"] ?? 0)
            }
        }
    }

    public func unsyncedCount(device: String?) async throws -> Int {
        try await guarded {
            try await pool.read { db in
                if let device {
                    return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE device = ? AND acked_at_ms IS NULL", arguments: [device]) ?? 0
                }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE acked_at_ms IS NULL") ?? 0
            }
        }
    }

    public func recordSync(at: Date) async throws {
        try await guarded {
            try await write { db in
                try db.execute(sql: "UPDATE sync_state SET last_sync_at_ms = ? WHERE id = 1", arguments: [SQLiteRows.ms(at)])
            }
        }
    }

    public func applyStatusUpdates(_ updates: [StatusUpdate], cursor: Int64, at: Date) async throws -> [StatusUpdate.Outcome] {
        try await guarded {
            try await write { db in
                var outcomes = [StatusUpdate.Outcome]()
                let record = try db.cachedStatement(sql: "INSERT INTO sync_inbox VALUES (?, ?, ?, ?, ?, ?, ?)")
                for u in updates {
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM sync_inbox WHERE event_id = ?", arguments: [u.eventId]) == true {
                        outcomes.append(.alreadyApplied)
                        continue
                    }
                    let snapshot = try Self.snapshots([u.idNumber], db)[u.idNumber] ?? Snapshot()
                    var outcome = StatusUpdate.Outcome.applied
                    var detail: String?
                    if snapshot.citizen == nil || (u.kind == .cardStatus && !snapshot.cards.contains { $0.dateOfIssue == u.dateOfIssue }) {
                        outcome = .notInStore
                    } else {
                        do {
                            try Self.apply(try u.mutation(snapshot, now: at, origin: .centreFeed), device: "", db, insertOnly: false)
                        } catch let e as RegistryError {
                            outcome = .conflict
                            detail = e.description
                        }
                    }
                    try record.execute(arguments: [u.eventId, u.cursor, u.kind.rawValue, u.idNumber, outcome.rawValue, detail, SQLiteRows.ms(at)])
                    outcomes.append(outcome)
                }
                try db.execute(sql: "UPDATE sync_state SET cursor = MAX(cursor, ?) WHERE id = 1", arguments: [cursor])
                return outcomes
            }
        }
    }
}
