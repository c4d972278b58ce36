import CCCD
import Foundation
import ISO7816
import Registry
import RegistrySQLite

/// Readouts are made once (each is a full PACE + CA + AA read of a simulated chip).
actor ReadoutCache {
    static let shared = ReadoutCache()
    var cache: [String: CardReadout] = [:]

    func readout(_ key: String, _ make: @Sendable () async throws -> CardReadout) async throws -> CardReadout {
        if let r = cache[key] { return r }
        let r = try await make()
        cache[key] = r
        return r
    }
}

enum Fixtures {
    static let id = "035099012345"
    static let seniorID = "035050000777"
    static let residence = "Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam"

    /// The card issued 2021-05-10 (chip A).
    static func current() async throws -> CardReadout {
        try await ReadoutCache.shared.readout("current") { try await SimulatedReads.read(SimulatedReads.citizen()) }
    }
    /// Another chip carrying the same data (different keys and signer).
    static func otherChip() async throws -> CardReadout {
        try await ReadoutCache.shared.readout("other") { try await SimulatedReads.read(SimulatedReads.citizen(), seed: "another chip") }
    }
    /// The citizen's previous card, issued 2016-03-01.
    static func old() async throws -> CardReadout {
        try await ReadoutCache.shared.readout("old") { try await SimulatedReads.read(SimulatedReads.citizen(issue: "2016-03-01", expiry: "2024-02-01")) }
    }
    /// A citizen born 1950 whose card (issued at 71) never expires.
    static func senior() async throws -> CardReadout {
        try await ReadoutCache.shared.readout("senior") {
            try await SimulatedReads.read(SimulatedReads.citizen(seniorID, name: "Trần Văn Lộc", birth: "1950-07-15", issue: "2021-09-01", expiry: nil))
        }
    }

    static let t0 = Date(timeIntervalSince1970: 1_764_547_200) // 2025-12-01

    static func citizen(_ id: String = id, birth: String = "1999-02-01", name: String = "Nguyễn Văn An", residence: String = residence) -> Citizen {
        Citizen(idNumber: id, fullName: name, dateOfBirth: birth, sex: "M", placeOfOrigin: "Xã Kim Bình, Thành phố Phủ Lý, Hà Nam",
                placeOfResidence: residence, identifyingMarks: "Nốt ruồi cách 2cm", fatherName: "Nguyễn Văn Bình", motherName: "Trần Thị Cúc",
                oldIdNumber: "168012345", updatedAt: t0)
    }

    static func card(_ id: String = id, issue: String = "2021-05-10", expiry: String? = "2039-02-01", status: CardStatus = .handedOver) -> Card {
        Card(idNumber: id, dateOfIssue: issue, dateOfExpiry: expiry, status: status, updatedAt: t0)
    }

    static func account(_ id: String = id, status: VNeIDStatus = .active, level: Int? = 2) -> VNeIDAccount {
        VNeIDAccount(idNumber: id, status: status, level: level, source: .registry, observedAt: t0)
    }

    static let context = ReadContext(station: "Phủ Lý 1", device: "station-1", operator: "officer-7")

    /// Writes records as an import would (one transaction).
    static func put(_ store: any RegistryStore, citizens: [Citizen] = [], cards: [Card] = [], accounts: [VNeIDAccount] = []) async throws {
        let m = Mutation(citizens: citizens, cards: cards, accounts: accounts)
        try await store.transact(ids: [], device: "setup") { _ in (m, ()) }
    }
}

/// The stores the shared suite runs against.
enum StoreKind: String, CaseIterable, Sendable {
    case memory, sqlite, postgres

    /// PostgreSQL runs when CCCD_TEST_POSTGRES_URL is set, and always in CI (where a missing or
    /// unreachable server fails the tests instead of skipping them).
    static var testable: [StoreKind] {
        let env = ProcessInfo.processInfo.environment
        return env["CCCD_TEST_POSTGRES_URL"] != nil || env["CI"] == "true" ? allCases : [.memory, .sqlite]
    }

    func make() async throws -> any RegistryStore {
        let store: any RegistryStore
        switch self {
        case .memory: store = InMemoryRegistryStore()
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-registry-\(UUID().uuidString)")
            store = try SQLiteRegistryStore(path: dir.appendingPathComponent("registry.sqlite").path)
        case .postgres:
            store = try await PostgresTestDatabase.freshStore()
        }
        try await store.migrate()
        return store
    }
}
