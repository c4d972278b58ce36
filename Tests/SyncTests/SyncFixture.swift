import Foundation
import Logging
import Registry
import RegistryPostgres
import RegistrySQLite
import SyncClient
import SyncProtocol
import SyncServer

/// Real parts for the sync scenarios: a fresh PostgreSQL schema as the centre, SQLite device
/// stores in temporary files, the service on 127.0.0.1 with an ephemeral port.
enum SyncFixture {
    static var postgresAvailable: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["CCCD_TEST_POSTGRES_URL"] != nil || env["CI"] == "true"
    }

    struct Unavailable: Error, CustomStringConvertible { var description: String }

    static func centralURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CCCD_TEST_POSTGRES_URL"] else {
            throw Unavailable(description: "CCCD_TEST_POSTGRES_URL is not set (run Hardware/postgres/start.sh)")
        }
        let schema = "sync_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
    }

    static func central(_ url: String) async throws -> PostgresRegistryStore {
        let store = try PostgresRegistryStore(url)
        try await store.migrate()
        return store
    }

    static func devicePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cccd-sync-\(UUID().uuidString).sqlite").path
    }

    static func device(_ path: String = devicePath()) async throws -> SQLiteRegistryStore {
        let store = try SQLiteRegistryStore(path: path)
        try await store.migrate()
        return store
    }

    static let t0 = Date(timeIntervalSince1970: 1_764_547_200)

    /// `count` generic events (kind `importFile`, as an import's summary records) on `device`'s chain.
    static func record(_ count: Int, on store: any RegistryStore, device: String, tag: String = "x", team: String = "team-1") async throws {
        var left = count
        while left > 0 {
            let n = min(left, 500)
            let drafts = (0..<n).map { i in
                EventDraft(at: Date(), kind: .importFile, team: team, body: ["file": .string("\(tag)-\(count - left + i).jsonl"), "rows": .int(i)])
            }
            try await store.transact(ids: [], device: device) { _ in (Mutation(events: drafts), ()) }
            left -= n
        }
    }

    static let citizenID = "035099012345"

    /// One citizen with a handed-over card and an account in `status` (as an extract and the centre both hold).
    static func putCitizen(_ store: any RegistryStore, account: VNeIDStatus, level: Int? = 1) async throws {
        let c = Citizen(idNumber: citizenID, fullName: "Nguyễn Văn An", dateOfBirth: "1999-02-01", sex: "M", updatedAt: t0)
        let card = Card(idNumber: citizenID, dateOfIssue: "2021-05-10", dateOfExpiry: "2039-02-01", status: .handedOver, updatedAt: t0)
        let a = VNeIDAccount(idNumber: citizenID, status: account, level: level, source: .registry, observedAt: t0)
        _ = try await store.bulkInsert(Mutation(citizens: [c], cards: [card], accounts: [a]), device: "import")
    }

    static func centralCount(_ store: PostgresRegistryStore, device: String) async throws -> Int {
        try await store.head(device: device)?.seq ?? 0
    }

    static func enrol(_ store: PostgresRegistryStore, device: String, team: String = "team-1", province: String? = nil) async throws -> String {
        let token = DeviceToken.generate()
        try await store.addDevice(SyncDevice(name: device, team: team, province: province), tokenSHA256: DeviceToken.digest(token))
        return token
    }
}

/// The service running in this process on 127.0.0.1:0.
final class RunningService: Sendable {
    let task: Task<Void, Error>
    let port: Int
    let faults: SyncFaults

    private init(task: Task<Void, Error>, port: Int, faults: SyncFaults) {
        self.task = task
        self.port = port
        self.faults = faults
    }

    var url: String { "http://127.0.0.1:\(port)" }

    static func start(_ store: any CentralSyncStore) async throws -> RunningService {
        let faults = SyncFaults()
        let (stream, cont) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "sync-test")
        logger.logLevel = .critical
        let task = Task {
            defer { cont.finish() }
            try await SyncService(store: store, faults: faults).run(listen: try ListenAddress("127.0.0.1:0"), tls: nil, gracefulShutdown: false,
                                                                     logger: logger) { port in cont.yield(port) }
        }
        var port = 0
        for await p in stream { port = p; break }
        guard port > 0 else {
            try await task.value
            throw SyncFixture.Unavailable(description: "the sync service did not start")
        }
        return RunningService(task: task, port: port, faults: faults)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
