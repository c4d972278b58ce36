import CCCDTestSupport
import CardSimulator
import CCCD
import Foundation
import MRTD
import Registry
import RegistryPostgres
import RegistrySQLite

/// Synthetic citizens, their printed card records and simulated chips, and fresh stores of each kind.
enum Fixtures {
    static let residence = "Thôn 1, Xã Thanh Hà, Huyện Thanh Liêm, Hà Nam"

    static func record(_ id: String, name: String = "Nguyễn Văn An", issue: String = "2021-05-10", expiry: String? = "2039-02-01",
                       residence: String = residence) -> CitizenRecord {
        CitizenRecord(idNumber: id, fullName: name, dateOfBirth: "1999-02-01", sex: "M", placeOfOrigin: "Xã Kim Bình, Thành phố Phủ Lý, Hà Nam",
                      placeOfResidence: residence, identifyingMarks: "Nốt ruồi cách 2cm", dateOfIssue: issue, dateOfExpiry: expiry,
                      fatherName: "Nguyễn Văn Bình", motherName: "Trần Thị Cúc", oldIdNumber: "168012345")
    }

    static func citizen(_ r: CitizenRecord, residence: String? = nil) -> Citizen {
        Citizen(idNumber: r.idNumber, fullName: r.fullName, dateOfBirth: r.dateOfBirth, sex: "M", placeOfOrigin: r.placeOfOrigin,
                placeOfResidence: residence ?? r.placeOfResidence, identifyingMarks: r.identifyingMarks, fatherName: r.fatherName,
                motherName: r.motherName, oldIdNumber: r.oldIdNumber)
    }

    /// A chip personalised for `r` with `can`; `seed` changes its keys and PKI (another chip).
    static func chip(_ r: CitizenRecord, can: String, seed: String = "swift-cccd test PKI", faults: CardFaults = CardFaults()) throws -> SimulatedChip {
        var p = CardProfile(citizen: r, can: can)
        p.seed = seed
        return try SimulatedChip(profile: p, faults: faults)
    }

    static func trust(_ chips: [SimulatedChip]) throws -> TrustStore {
        var t = TrustStore()
        for c in chips { t.add(try Certificate(der: c.card.pki.cscaCertificate)) }
        return t
    }

    /// A trust directory for the CLI.
    static func trustDir(_ chips: [SimulatedChip]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-field-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (i, chip) in chips.enumerated() {
            try Data(chip.card.pki.cscaCertificate).write(to: dir.appendingPathComponent("csca\(i).der"))
        }
        return dir.path
    }

    /// The citizen and a printed card holding `can`, changed at `printedAt` (the printing order).
    static func printed(_ r: CitizenRecord, can: String, printedAt: Double, residence: String? = nil) -> Mutation {
        Mutation(citizens: [citizen(r, residence: residence)],
                 cards: [Card(idNumber: r.idNumber, dateOfIssue: r.dateOfIssue, dateOfExpiry: r.dateOfExpiry, status: .printed,
                              can: can, updatedAt: Date(timeIntervalSince1970: printedAt))])
    }
}

/// The stores the field workflows run on: the same tests on each.
enum StoreKind: String, CaseIterable, Sendable {
    case memory, sqlite, postgres

    static var testable: [StoreKind] {
        let env = ProcessInfo.processInfo.environment
        return env["CCCD_TEST_POSTGRES_URL"] != nil || env["CI"] == "true" ? allCases : [.memory, .sqlite]
    }

    /// The database kinds, for tests that drive the `cccd` executable.
    static var databases: [StoreKind] { testable.filter { $0 != .memory } }

    struct Unavailable: Error, CustomStringConvertible { var description: String }

    /// A fresh store's URL (a new file, or a new schema).
    func url() throws -> String {
        switch self {
        case .memory: throw Unavailable(description: "the in-memory store has no URL")
        case .sqlite:
            return "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("cccd-field-\(UUID().uuidString).sqlite").path
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["CCCD_TEST_POSTGRES_URL"] else {
                throw Unavailable(description: "CCCD_TEST_POSTGRES_URL is not set (run Hardware/postgres/start.sh)")
            }
            return base + (base.contains("?") ? "&" : "?") + "schema=f_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        }
    }

    /// A fresh, migrated store.
    func store() async throws -> any FieldWorkflowStore {
        try await Self.open(self == .memory ? "" : try url(), kind: self)
    }

    static func open(_ url: String, kind: StoreKind) async throws -> any FieldWorkflowStore {
        let store: any FieldWorkflowStore
        switch kind {
        case .memory: store = InMemoryRegistryStore()
        case .sqlite: store = try SQLiteRegistryStore(path: String(url.dropFirst("sqlite:".count)))
        case .postgres: store = try PostgresRegistryStore(url)
        }
        try await store.migrate()
        return store
    }
}
