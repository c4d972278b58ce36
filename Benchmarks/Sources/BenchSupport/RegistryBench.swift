import CCCD
import Foundation
import Registry
import RegistryPostgres
import RegistrySQLite

/// The registry side of the benchmarks: a province seeded once and kept between runs (seeding a
/// million citizens is itself measured separately), and links of real readouts against it.
public enum RegistryBench {
    /// The province size the link goal is stated at.
    public static let linkCitizens = 1_000_000
    public static let seed: UInt64 = 7

    /// Where seeded stores are kept between runs (`$CCCD_BENCH_DIR`, default /var/tmp/cccd-bench).
    public static var directory: String {
        ProcessInfo.processInfo.environment["CCCD_BENCH_DIR"] ?? "/var/tmp/cccd-bench"
    }

    /// The SQLite store of `linkCitizens` citizens, seeded on first use.
    public static func seededSQLite() async throws -> SQLiteRegistryStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRegistryStore(path: directory + "/registry-\(linkCitizens).sqlite")
        try await store.migrate()
        try await ensureSeeded(store)
        return store
    }

    /// The PostgreSQL store (schema `bench_1m` of `$CCCD_BENCH_POSTGRES_URL`), seeded on first use.
    public static func seededPostgres() async throws -> PostgresRegistryStore {
        guard let base = ProcessInfo.processInfo.environment["CCCD_BENCH_POSTGRES_URL"] else {
            throw BenchmarkSetupError("CCCD_BENCH_POSTGRES_URL is not set (Benchmarks/run.sh starts a private server)")
        }
        let store = try PostgresRegistryStore(base + (base.contains("?") ? "&" : "?") + "schema=bench_1m")
        try await store.migrate()
        try await ensureSeeded(store)
        return store
    }

    static func ensureSeeded(_ store: any RegistryStore) async throws {
        let province = try SyntheticProvince(province: "035", citizens: linkCitizens, vneidActive: 0.668, seed: seed)
        let have = try await store.stats(province: "035", today: "2026-12-01").citizens
        guard have < linkCitizens else { return }
        let now = Date()
        for start in stride(from: 0, to: linkCitizens, by: 20_000) {
            _ = try await store.bulkInsert(province.batch(start..<min(linkCitizens, start + 20_000), now: now), device: "bench-seed")
        }
    }

    /// Readouts of `count` seeded citizens spread over the province: the recorded read's readout
    /// carrying each citizen's ID number and card.
    public static func readouts(count: Int) async throws -> [CardReadout] {
        let template = try await RecordedRead.record().replay()
        let province = try SyntheticProvince(province: "035", citizens: linkCitizens, vneidActive: 0.668, seed: seed)
        let stride = max(1, linkCitizens / max(1, count))
        return (0..<count).map { i in
            let m = province.batch((i * stride)..<(i * stride + 1), now: Date())
            var r = template
            if let card = m.cards.first {
                r.identity.idNumber = card.idNumber
                r.citizen?.idNumber = card.idNumber
                r.citizen?.dateOfIssue = card.dateOfIssue
                r.citizen?.dateOfExpiry = card.dateOfExpiry
            }
            return r
        }
    }

    /// Links each readout once (a link: the citizen's snapshot, the rules, the event sealed into
    /// the device's hash chain, one commit); returns each link's milliseconds, sorted.
    public static func linkLatencies(_ store: any RegistryStore, _ readouts: [CardReadout], devices: Int = 4) async throws -> [Double] {
        var out = [Double]()
        out.reserveCapacity(readouts.count)
        let clock = ContinuousClock()
        for (i, r) in readouts.enumerated() {
            let context = ReadContext(station: "bench", device: "bench-link-\(i % devices)")
            let d = try await clock.measure { _ = try await store.link(r, context: context) }
            out.append(Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000)
        }
        return out.sorted()
    }

    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
