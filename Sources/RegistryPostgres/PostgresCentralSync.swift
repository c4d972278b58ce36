import Foundation
import Logging
import PostgresNIO
import Registry

/// The centre's side of sync on PostgreSQL. A batch is one transaction: locks on the citizens
/// its events change (sorted), then on the device (the order `transact` uses, so no deadlock);
/// the device's head decides, per event, duplicate / next / refused; the new events go in with
/// one multi-row `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`; their changes are
/// projected onto the central rows.
extension PostgresRegistryStore: CentralSyncStore {
    public func addDevice(_ d: SyncDevice, tokenSHA256: String) async throws {
        try await guarded {
            try await client.withTransaction(logger: logger) { c in
                // A chain the centre writes itself cannot also be pushed by a device.
                for try await _ in try await c.query("SELECT 1 FROM outbox WHERE device = \(d.name) LIMIT 1", logger: logger) {
                    throw RegistryError.conflict("the centre itself records events as \(d.name); choose another device name")
                }
                var revoked: Int64?? = nil
                for try await r in try await c.query("SELECT revoked_at_ms FROM sync_devices WHERE device = \(d.name) FOR UPDATE",
                                                     logger: logger).decode(Int64?.self) { revoked = .some(r) }
                switch revoked {
                case .none:
                    try await c.query("""
                        INSERT INTO sync_devices VALUES (\(d.name), \(d.team), \(d.province), \(tokenSHA256), \(PostgresRows.ms(Date())), NULL)
                        """, logger: logger)
                case .some(.none):
                    throw RegistryError.conflict("device \(d.name) is enrolled; revoke it first to issue a new token")
                case .some(.some):
                    try await c.query("""
                        UPDATE sync_devices SET team = \(d.team), province = \(d.province), token_sha256 = \(tokenSHA256),
                            created_at_ms = \(PostgresRows.ms(Date())), revoked_at_ms = NULL WHERE device = \(d.name)
                        """, logger: logger)
                }
            }
        }
    }

    public func revokeDevice(_ name: String, at: Date) async throws -> Bool {
        try await guarded {
            var n = 0
            for try await _ in try await client.query("""
                UPDATE sync_devices SET revoked_at_ms = \(PostgresRows.ms(at)) WHERE device = \(name) AND revoked_at_ms IS NULL RETURNING 1
                """, logger: logger) { n += 1 }
            return n > 0
        }
    }

    public func device(tokenSHA256: String) async throws -> SyncDevice? {
        try await guarded {
            var out: SyncDevice?
            for try await (name, team, province) in try await client.query("""
                SELECT device, team, province FROM sync_devices WHERE token_sha256 = \(tokenSHA256) AND revoked_at_ms IS NULL
                """, logger: logger).decode((String, String, String?).self) {
                out = SyncDevice(name: name, team: team, province: province)
            }
            return out
        }
    }

    public func head(device: String) async throws -> ChainHead? {
        try await guarded { try await client.withConnection { c in try await Self.head(device, c, logger) } }
    }

    static func head(_ device: String, _ c: PostgresConnection, _ logger: Logger) async throws -> ChainHead? {
        var head: ChainHead?
        for try await (seq, hash) in try await c.query("SELECT seq, hash FROM events WHERE device = \(device) ORDER BY seq DESC LIMIT 1",
                                                        logger: logger).decode((Int, String).self) {
            head = ChainHead(seq: seq, hash: hash)
        }
        return head
    }

    public func ingest(_ events: [ReadEvent], device: String, now: Date) async throws -> IngestResult {
        guard let first = events.first, let last = events.last else {
            return IngestResult(head: try await head(device: device), receipts: [])
        }
        do {
            return try await client.withTransaction(logger: logger) { c in
                let citizens = Set(events.compactMap(CentralProjection.touches)).sorted()
                if !citizens.isEmpty {
                    try await c.query("""
                        SELECT pg_advisory_xact_lock(hashtextextended('citizen:' || x, 0)) FROM unnest(\(citizens)::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n
                        """, logger: logger)
                }
                try await c.query("SELECT pg_advisory_xact_lock(hashtextextended(\("device:" + device), 0))", logger: logger)
                let head = try await Self.head(device, c, logger)
                let headSeq = head?.seq ?? 0
                var present = [Int: (id: String, hash: String)]()
                if first.seq <= headSeq {
                    for try await (seq, id, hash) in try await c.query("""
                        SELECT seq, id, hash FROM events WHERE device = \(device) AND seq BETWEEN \(first.seq) AND \(min(last.seq, headSeq))
                        """, logger: logger).decode((Int, String, String).self) {
                        present[seq] = (id, hash)
                    }
                }
                var receipts = [OutboxReceipt]()
                var fresh = [ReadEvent]()
                var previous: ChainHead? = nil
                for e in events {
                    if e.seq <= headSeq {
                        guard let p = present[e.seq], p.hash == e.hash, p.id == e.id else { throw IngestRefusal.sequenceConflict(eventId: e.id, seq: e.seq) }
                        receipts.append(OutboxReceipt(id: e.id, seq: e.seq, result: .duplicate))
                    } else {
                        let before = previous ?? head
                        guard e.seq == (before?.seq ?? 0) + 1 else {
                            throw IngestRefusal.sequenceGap(eventId: e.id, seq: e.seq, expected: (before?.seq ?? 0) + 1)
                        }
                        guard e.previousHash == (before?.hash ?? ReadEvent.genesis) else { throw IngestRefusal.chainBroken(eventId: e.id, seq: e.seq) }
                        fresh.append(e)
                        receipts.append(OutboxReceipt(id: e.id, seq: e.seq, result: .stored))
                    }
                    previous = ChainHead(seq: e.seq, hash: e.hash)
                }
                if !fresh.isEmpty {
                    var inserted = 0
                    // Optional text goes as text plus a null flag, so "" and NULL stay apart (the audit compares them to the payload).
                    func text(_ k: (ReadEvent) -> String?) -> [String] { fresh.map { k($0) ?? "" } }
                    func isNull(_ k: (ReadEvent) -> String?) -> [Bool] { fresh.map { k($0) == nil } }
                    for try await _ in try await c.query("""
                        INSERT INTO events
                        SELECT u.id, u.device, u.seq, u.at, u.kind, CASE WHEN u.n1 THEN NULL ELSE u.id_number END,
                            CASE WHEN u.n2 THEN NULL ELSE u.station END, CASE WHEN u.n3 THEN NULL ELSE u.team END, u.payload, u.previous_hash, u.hash
                        FROM unnest(\(fresh.map(\.id))::text[], \(fresh.map(\.device))::text[], \(fresh.map(\.seq))::bigint[],
                            \(fresh.map(\.at))::text[], \(fresh.map(\.kind.rawValue))::text[], \(text(\.idNumber))::text[], \(isNull(\.idNumber))::bool[],
                            \(text(\.station))::text[], \(isNull(\.station))::bool[], \(text(\.team))::text[], \(isNull(\.team))::bool[],
                            \(fresh.map(\.payload))::text[], \(fresh.map(\.previousHash))::text[], \(fresh.map(\.hash))::text[])
                            AS u(id, device, seq, at, kind, id_number, n1, station, n2, team, n3, payload, previous_hash, hash)
                        ON CONFLICT DO NOTHING RETURNING 1
                        """, logger: logger) { inserted += 1 }
                    if inserted != fresh.count {
                        // Only an id used by another event can collide here (the device lock is held).
                        let e = fresh[0]
                        throw IngestRefusal.idConflict(eventId: e.id, seq: e.seq)
                    }
                    let conflicts = try await Self.project(fresh, citizens: citizens, now: now, c, logger)
                    for (i, r) in receipts.enumerated() { if let x = conflicts[r.id] { receipts[i].conflict = x } }
                }
                return IngestResult(head: previous.map { p in headSeq > p.seq ? head ?? p : p } ?? head, receipts: receipts)
            }
        } catch let e as PostgresTransactionError {
            if let r = e.closureError as? IngestRefusal { throw r }
            if let r = e.closureError as? RegistryError { throw r }
            throw RegistryError.store(Self.message(e.closureError ?? e.commitError ?? e.beginError ?? e))
        } catch let e as IngestRefusal {
            throw e
        } catch let e as RegistryError {
            throw e
        } catch {
            throw RegistryError.store(Self.message(error))
        }
    }

    /// Applies the new events' changes to the central rows; returns the conflicts by event id.
    static func project(_ fresh: [ReadEvent], citizens: [String], now: Date, _ c: PostgresConnection,
                        _ logger: Logger) async throws -> [String: SyncConflict] {
        guard !citizens.isEmpty else { return [:] }
        var snaps = try await snapshots(citizens, c, logger)
        var conflicts = [String: SyncConflict]()
        var cards = [String: Card](), accounts = [String: VNeIDAccount]()
        var order = [String]()
        for e in fresh {
            guard let id = CentralProjection.touches(e) else { continue }
            let (m, conflict) = CentralProjection.plan(e, snapshot: snaps[id] ?? Snapshot(), now: now)
            if let conflict { conflicts[e.id] = conflict; continue }
            snaps[id] = (snaps[id] ?? Snapshot()).applying(m)
            for card in m.cards {
                let key = card.idNumber + "|" + card.dateOfIssue
                if cards.updateValue(card, forKey: key) == nil { order.append(key) }
            }
            for a in m.accounts { accounts[a.idNumber] = a }
        }
        let rows = Mutation(cards: order.compactMap { cards[$0] }, accounts: accounts.keys.sorted().compactMap { accounts[$0] })
        if !rows.isEmpty { try await upsert(rows, c, logger) }
        return conflicts
    }

    public func statusUpdates(after cursor: Int64, province: String?, limit: Int) async throws -> [StatusUpdate] {
        try await guarded {
            let prefix = (province ?? "") + "%"
            var out = [StatusUpdate]()
            for try await row in try await client.query("""
                SELECT o.position, e.id, e.device, e.seq, e.at, e.kind, e.id_number, e.station, e.team, e.payload, e.previous_hash, e.hash
                FROM outbox o JOIN events e ON e.id = o.event_id
                WHERE o.position > \(cursor) AND e.kind IN ('cardStatus', 'vneidStatus') AND e.id_number LIKE \(prefix)
                ORDER BY o.position LIMIT \(limit)
                """, logger: logger) {
                let r = row.makeRandomAccess()
                guard let kind = EventDraft.Kind(rawValue: try r[5].decode(String.self)) else { continue }
                let e = ReadEvent(id: try r[1].decode(String.self), device: try r[2].decode(String.self), seq: try r[3].decode(Int.self),
                                  at: try r[4].decode(String.self), kind: kind, idNumber: try r[6].decode(String?.self),
                                  station: try r[7].decode(String?.self), team: try r[8].decode(String?.self), payload: try r[9].decode(String.self),
                                  previousHash: try r[10].decode(String.self), hash: try r[11].decode(String.self))
                if let u = StatusUpdate.from(event: e, cursor: try r[0].decode(Int64.self)) { out.append(u) }
            }
            return out
        }
    }
}
