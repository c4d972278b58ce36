import Foundation
import Logging
import PostgresNIO
import Registry

/// The central store: PostgreSQL through postgres-nio. Each `transact` is one transaction that
/// first takes advisory locks on the ID numbers (sorted) and then on the device, so concurrent
/// links of one citizen serialise and each device chain stays linear, without deadlocks.
public final class PostgresRegistryStore: RegistryStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let url: PostgresStoreURL
    /// Capped at warning: postgres-nio logs queries and their binds (ID numbers, names) at debug.
    let logger: Logger = {
        var l = Logger(label: "cccd.registry.postgres")
        l.logLevel = .warning
        return l
    }()

    public init(url: PostgresStoreURL) {
        self.url = url
        var config = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                  database: url.database, tls: .disable)
        if let schema = url.schema { config.options.additionalStartupParameters = [("search_path", schema)] }
        config.options.maximumConnections = 16
        // The pool warns when a lease races the start of `run()`; it waits and proceeds, so only errors are worth showing.
        var poolLogger = Logger(label: "cccd.registry.postgres.pool")
        poolLogger.logLevel = .error
        client = PostgresClient(configuration: config, backgroundLogger: poolLogger)
        let c = client
        runner = Task { await c.run() }
    }

    public convenience init(_ text: String) throws {
        self.init(url: try PostgresStoreURL(text))
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    /// Maps driver errors to one line (the server's message), never the URL's password.
    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as RegistryError { throw e } catch let e as PostgresTransactionError {
            if let inner = e.closureError as? RegistryError { throw inner }
            if let inner = e.closureError as? FieldWorkflowError { throw inner }
            throw RegistryError.store(Self.message(e.closureError ?? e.commitError ?? e.beginError ?? e))
        } catch {
            throw RegistryError.store(Self.message(error))
        }
    }

    static func message(_ e: Error) -> String {
        if let p = e as? PSQLError {
            if let m = p.serverInfo?[.message] { return m }
            return "cannot reach PostgreSQL (\(p.code))"
        }
        return "\(e)"
    }

    // MARK: - Migrations

    public func migrate() async throws {
        try await guarded {
            try await client.withTransaction(logger: logger) { c in
                // The figures use split_part with a negative position (PostgreSQL 14).
                for try await v in try await c.query("SELECT current_setting('server_version_num')::int", logger: logger).decode(Int.self)
                where v < 140000 {
                    throw RegistryError.store("PostgreSQL 14 or later is needed (this server is \(v / 10000))")
                }
                try await c.query("SELECT pg_advisory_xact_lock(7341001)", logger: logger)
                if let s = url.schema { try await c.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(s)"), logger: logger) }
                try await c.query("CREATE TABLE IF NOT EXISTS registry_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())", logger: logger)
                var applied = Set<Int>()
                for try await v in try await c.query("SELECT version FROM registry_migrations", logger: logger).decode(Int.self) { applied.insert(v) }
                for m in PostgresMigrations.all where !applied.contains(m.version) {
                    for sql in m.sql { try await c.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
                    try await c.query("INSERT INTO registry_migrations (version, name) VALUES (\(m.version), \(m.name))", logger: logger)
                }
            }
        }
    }

    // MARK: - Reads

    public func snapshots(_ ids: [String]) async throws -> [String: Snapshot] {
        try await guarded { try await client.withConnection { c in try await Self.snapshots(ids, c, logger) } }
    }

    static func snapshots(_ ids: [String], _ c: PostgresConnection, _ logger: Logger) async throws -> [String: Snapshot] {
        var out = [String: Snapshot]()
        guard !ids.isEmpty else { return out }
        for id in ids { out[id] = Snapshot() }
        for try await row in try await c.query("SELECT \(unescaped: PostgresRows.citizenColumns) FROM citizens WHERE id_number = ANY(\(ids))", logger: logger) {
            let citizen = try PostgresRows.citizen(row)
            out[citizen.idNumber]?.citizen = citizen
        }
        for try await row in try await c.query("SELECT \(unescaped: PostgresRows.cardColumns) FROM cards WHERE id_number = ANY(\(ids)) ORDER BY date_of_issue", logger: logger) {
            let card = try PostgresRows.card(row)
            out[card.idNumber]?.cards.append(card)
        }
        for try await row in try await c.query("SELECT \(unescaped: PostgresRows.accountColumns) FROM accounts WHERE id_number = ANY(\(ids))", logger: logger) {
            let a = try PostgresRows.account(row)
            out[a.idNumber]?.account = a
        }
        return out
    }

    // MARK: - Writes

    public func transact<T: Sendable>(ids: [String], device: String,
                                      _ decide: @Sendable ([String: Snapshot]) throws -> (Mutation, T)) async throws -> T {
        try await guarded {
            try await client.withTransaction(logger: logger) { c in
                for id in Set(ids).sorted() { try await c.query("SELECT pg_advisory_xact_lock(hashtextextended(\("citizen:" + id), 0))", logger: logger) }
                let (m, value) = try decide(try await Self.snapshots(ids, c, logger))
                try await Self.upsert(m, c, logger)
                try await Self.append(m.events, device: device, c, logger)
                return value
            }
        }
    }

    static func upsert(_ m: Mutation, _ c: PostgresConnection, _ logger: Logger) async throws {
        for x in m.citizens {
            try await c.query("""
                INSERT INTO citizens VALUES (\(x.idNumber), \(x.fullName), \(x.dateOfBirth), \(x.sex), \(x.nationality), \(x.ethnicity),
                    \(x.religion), \(x.placeOfOrigin), \(x.placeOfResidence), \(x.identifyingMarks), \(x.fatherName), \(x.motherName),
                    \(x.spouseName), \(x.oldIdNumber), \(x.version), \(PostgresRows.ms(x.updatedAt)), \(x.source.rawValue))
                ON CONFLICT (id_number) DO UPDATE SET full_name = EXCLUDED.full_name, date_of_birth = EXCLUDED.date_of_birth,
                    sex = EXCLUDED.sex, nationality = EXCLUDED.nationality, ethnicity = EXCLUDED.ethnicity, religion = EXCLUDED.religion,
                    place_of_origin = EXCLUDED.place_of_origin, place_of_residence = EXCLUDED.place_of_residence,
                    identifying_marks = EXCLUDED.identifying_marks, father_name = EXCLUDED.father_name, mother_name = EXCLUDED.mother_name,
                    spouse_name = EXCLUDED.spouse_name, old_id_number = EXCLUDED.old_id_number, version = EXCLUDED.version,
                    updated_at_ms = EXCLUDED.updated_at_ms, source = EXCLUDED.source
                """, logger: logger)
        }
        for x in m.cards {
            try await c.query("""
                INSERT INTO cards VALUES (\(x.idNumber), \(x.dateOfIssue), \(x.dateOfExpiry), \(x.storedStatus.rawValue), \(x.can),
                    \(x.chip?.sodSHA256), \(x.chip?.signerIssuer), \(x.chip?.signerSerial), \(x.chip?.caKeySHA256), \(x.chip?.aaKeySHA256),
                    \(PostgresRows.ms(x.updatedAt)), \(x.source.rawValue), \(CardReasons.text(x.statusReasons)))
                ON CONFLICT (id_number, date_of_issue) DO UPDATE SET date_of_expiry = EXCLUDED.date_of_expiry, status = EXCLUDED.status,
                    can = EXCLUDED.can, sod_sha256 = EXCLUDED.sod_sha256, signer_issuer = EXCLUDED.signer_issuer,
                    signer_serial = EXCLUDED.signer_serial, ca_key_sha256 = EXCLUDED.ca_key_sha256, aa_key_sha256 = EXCLUDED.aa_key_sha256,
                    updated_at_ms = EXCLUDED.updated_at_ms, source = EXCLUDED.source, status_reasons = EXCLUDED.status_reasons
                """, logger: logger)
        }
        for x in m.accounts {
            try await c.query("""
                INSERT INTO accounts VALUES (\(x.idNumber), \(x.status.rawValue), \(x.level), \(x.reason?.rawValue), \(x.source.rawValue),
                    \(PostgresRows.ms(x.observedAt)))
                ON CONFLICT (id_number) DO UPDATE SET status = EXCLUDED.status, level = EXCLUDED.level, reason = EXCLUDED.reason,
                    source = EXCLUDED.source, observed_at_ms = EXCLUDED.observed_at_ms
                """, logger: logger)
        }
    }

    /// Appends to the device chain under the device's advisory lock (taken last, after the ID locks).
    static func append(_ drafts: [EventDraft], device: String, _ c: PostgresConnection, _ logger: Logger) async throws {
        guard !drafts.isEmpty else { return }
        try await c.query("SELECT pg_advisory_xact_lock(hashtextextended(\("device:" + device), 0))", logger: logger)
        var head: (seq: Int, hash: String)?
        for try await (seq, hash) in try await c.query("SELECT seq, hash FROM events WHERE device = \(device) ORDER BY seq DESC LIMIT 1",
                                                        logger: logger).decode((Int, String).self) {
            head = (seq, hash)
        }
        for d in drafts {
            let e = ReadEvent.seal(d, device: device, after: head)
            try await c.query("""
                INSERT INTO events VALUES (\(e.id), \(e.device), \(e.seq), \(e.at), \(e.kind.rawValue), \(e.idNumber), \(e.station), \(e.team),
                    \(e.payload), \(e.previousHash), \(e.hash))
                """, logger: logger)
            try await PostgresSyncSchema.enqueue(e, c, logger)
            head = (e.seq, e.hash)
        }
    }

    public func bulkInsert(_ m: Mutation, device: String) async throws -> Int {
        try await guarded {
            try await client.withTransaction(logger: logger) { c in
                var inserted = 0
                if !m.citizens.isEmpty {
                    let x = m.citizens
                    func col(_ k: (Citizen) -> String?) -> [String] { x.map { k($0) ?? "" } }
                    // Counted in the server: streaming a row back per citizen cost more than the insert.
                    let rows = try await c.query("""
                        WITH ins AS (INSERT INTO citizens SELECT u.a, u.b, u.c, u.d, NULLIF(u.e,''), NULLIF(u.f,''), NULLIF(u.g,''), NULLIF(u.h,''),
                            NULLIF(u.i,''), NULLIF(u.j,''), NULLIF(u.k,''), NULLIF(u.l,''), NULLIF(u.m,''), NULLIF(u.n,''), u.o, u.p, u.q
                        FROM unnest(\(col { $0.idNumber })::text[], \(col { $0.fullName })::text[], \(col { $0.dateOfBirth })::text[],
                            \(col { $0.sex })::text[], \(col { $0.nationality })::text[], \(col { $0.ethnicity })::text[], \(col { $0.religion })::text[],
                            \(col { $0.placeOfOrigin })::text[], \(col { $0.placeOfResidence })::text[], \(col { $0.identifyingMarks })::text[],
                            \(col { $0.fatherName })::text[], \(col { $0.motherName })::text[], \(col { $0.spouseName })::text[],
                            \(col { $0.oldIdNumber })::text[], \(x.map(\.version))::int[], \(x.map { PostgresRows.ms($0.updatedAt) })::bigint[],
                            \(x.map(\.source.rawValue))::text[]) AS u(a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q)
                        ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::bigint FROM ins
                        """, logger: logger)
                    for try await n in rows.decode(Int64.self) { inserted += Int(n) }
                }
                if !m.cards.isEmpty {
                    let x = m.cards
                    try await c.query("""
                        INSERT INTO cards (id_number, date_of_issue, date_of_expiry, status, can, updated_at_ms, source)
                        SELECT u.a, u.b, NULLIF(u.c,''), u.d, NULLIF(u.e,''), u.f, u.g
                        FROM unnest(\(x.map(\.idNumber))::text[], \(x.map(\.dateOfIssue))::text[], \(x.map { $0.dateOfExpiry ?? "" })::text[],
                            \(x.map(\.storedStatus.rawValue))::text[], \(x.map { $0.can ?? "" })::text[], \(x.map { PostgresRows.ms($0.updatedAt) })::bigint[],
                            \(x.map(\.source.rawValue))::text[]) AS u(a,b,c,d,e,f,g)
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                }
                if !m.accounts.isEmpty {
                    let x = m.accounts
                    try await c.query("""
                        INSERT INTO accounts SELECT u.a, u.b, NULLIF(u.c, 0), NULLIF(u.d,''), u.e, u.f
                        FROM unnest(\(x.map(\.idNumber))::text[], \(x.map(\.status.rawValue))::text[], \(x.map { $0.level ?? 0 })::int[],
                            \(x.map { $0.reason?.rawValue ?? "" })::text[], \(x.map(\.source.rawValue))::text[],
                            \(x.map { PostgresRows.ms($0.observedAt) })::bigint[]) AS u(a,b,c,d,e,f)
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                }
                try await Self.append(m.events, device: device, c, logger)
                return inserted
            }
        }
    }

    // MARK: - Events

    public func events(after: (device: String, seq: Int)?, limit: Int) async throws -> [ReadEvent] {
        try await guarded {
            let q: PostgresQuery = after.map { a in
                "SELECT \(unescaped: PostgresRows.eventColumns) FROM events WHERE (device, seq) > (\(a.device), \(a.seq)) ORDER BY device, seq LIMIT \(limit)"
            } ?? "SELECT \(unescaped: PostgresRows.eventColumns) FROM events ORDER BY device, seq LIMIT \(limit)"
            var out = [ReadEvent]()
            for try await row in try await client.query(q, logger: logger) { out.append(try PostgresRows.event(row)) }
            return out
        }
    }

    public func recentEvents(idNumber: String, limit: Int) async throws -> [ReadEvent] {
        try await guarded {
            var out = [ReadEvent]()
            for try await row in try await client.query(
                "SELECT \(unescaped: PostgresRows.eventColumns) FROM events WHERE id_number = \(idNumber) ORDER BY at DESC, seq DESC LIMIT \(limit)",
                logger: logger) {
                out.append(try PostgresRows.event(row))
            }
            return out
        }
    }

    // MARK: - Stats

    public func stats(province: String?, today: String) async throws -> RegistryStats {
        try await guarded {
            var st = RegistryStats(province: province)
            let p = (province ?? "") + "%"
            func count(_ q: PostgresQuery) async throws -> Int {
                var n = 0
                for try await v in try await client.query(q, logger: logger).decode(Int.self) { n = v }
                return n
            }
            st.citizens = try await count("SELECT COUNT(*)::bigint FROM citizens WHERE id_number LIKE \(p)")
            st.eligibleCitizens = try await count(
                "SELECT COUNT(*)::bigint FROM citizens WHERE id_number LIKE \(p) AND date_of_birth <= \(StatsRules.eligibleBornOnOrBefore(today))")
            for try await (s, n) in try await client.query("""
                SELECT CASE WHEN date_of_expiry IS NOT NULL AND date_of_expiry < \(today) AND status NOT IN ('revoked','reportedLost','replaced')
                            THEN 'expired' ELSE status END AS s, COUNT(*)::bigint
                FROM cards WHERE id_number LIKE \(p) GROUP BY 1
                """, logger: logger).decode((String, Int).self) {
                st.cardsByStatus[s] = n
                st.cards += n
            }
            st.citizensWithCard = try await count("""
                SELECT COUNT(DISTINCT id_number)::bigint FROM cards WHERE id_number LIKE \(p) AND status = 'handedOver'
                AND (date_of_expiry IS NULL OR date_of_expiry >= \(today))
                """)
            var withAccount = 0
            for try await (s, n) in try await client.query(
                "SELECT status, COUNT(*)::bigint FROM accounts WHERE id_number LIKE \(p) AND status <> 'notRegistered' GROUP BY status",
                logger: logger).decode((String, Int).self) {
                st.accountsByStatus[s] = n
                withAccount += n
            }
            st.accountsByStatus["notRegistered"] = st.citizens - withAccount
            for try await (l, n) in try await client.query(
                "SELECT level, COUNT(*)::bigint FROM accounts WHERE id_number LIKE \(p) AND status = 'active' GROUP BY level",
                logger: logger).decode((Int?, Int).self) {
                st.activeByLevel[l.map(String.init) ?? "unknown"] = n
            }
            for column in ["station", "team"] {
                var groups = [RegistryStats.Group]()
                for try await (g, n, c) in try await client.query("""
                    SELECT \(unescaped: column), COUNT(*)::bigint, COUNT(DISTINCT id_number)::bigint FROM events
                    WHERE kind = 'read' AND \(unescaped: column) IS NOT NULL AND (\(p) = '%' OR id_number LIKE \(p))
                    GROUP BY 1 ORDER BY 1
                    """, logger: logger).decode((String, Int, Int).self) {
                    groups.append(.init(name: g, reads: n, citizens: c))
                }
                if column == "station" { st.stations = groups } else { st.teams = groups }
            }
            (st.activationByDistrict, st.activationByTeam) = try await PostgresStats.activation(client, idPrefix: p, logger: logger)
            return st
        }
    }
}
