import CCCD
import Foundation
import Registry
import RegistryPostgres
import RegistrySQLite
import Testing

/// The link path on a seeded province (each link: snapshot of one citizen, rules, evidence
/// write, event append, commit): every link finds its citizen and the chains stay intact. The
/// latencies are printed for a look; the goal (p99 ≤ 2 ms at a million citizens) is checked by the
/// `Registry` benchmarks (Benchmarks/), not here. `CCCD_BENCH_CITIZENS` sets the province size
/// (default 20,000). `benchmarkAnExistingStore` links against a store already seeded by
/// `cccd registry seed --seed $CCCD_BENCH_SEED` (`CCCD_BENCH_STORE`).
struct LinkLatencyTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CCCD_BENCH_STORE"] != nil))
    func benchmarkAnExistingStore() async throws {
        let env = ProcessInfo.processInfo.environment
        let url = try #require(env["CCCD_BENCH_STORE"])
        let store: any RegistryStore = url.hasPrefix("postgres") ? try PostgresRegistryStore(url) : try SQLiteRegistryStore(path: url)
        try await store.migrate()
        let p = try SyntheticProvince(province: "035", citizens: 754_277, vneidActive: 0.668, seed: env["CCCD_BENCH_SEED"].flatMap(UInt64.init) ?? 1)
        let (p50, p99) = try await Self.measure(store, sample: p.batch(300_000..<301_000, now: Fixtures.t0))
        print("link latency on \(url.hasPrefix("postgres") ? "postgres" : "sqlite") existing store: p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms")
        try await store.close()
    }

    static func measure(_ store: any RegistryStore, sample: Mutation) async throws -> (Double, Double) {
        let template = try await Fixtures.current()
        var durations = [Double]()
        for (i, card) in sample.cards.enumerated() {
            var r = template
            r.identity.idNumber = card.idNumber
            r.citizen?.idNumber = card.idNumber
            r.citizen?.dateOfIssue = card.dateOfIssue
            let t = Date()
            let link = try await store.link(r, context: ReadContext(station: "bench", device: "bench-\(i % 4)"), now: Fixtures.t0)
            durations.append(Date().timeIntervalSince(t) * 1000)
            #expect(link.citizen == .found)
        }
        durations.sort()
        return (durations[durations.count / 2], durations[Int(Double(durations.count - 1) * 0.99)])
    }

    @Test(arguments: StoreKind.testable.filter { $0 != .memory }) func linkLatencyOnASeededProvince(kind: StoreKind) async throws {
        let n = ProcessInfo.processInfo.environment["CCCD_BENCH_CITIZENS"].flatMap(Int.init) ?? 20_000
        let store = try await kind.make()
        let p = try SyntheticProvince(province: "035", citizens: n, vneidActive: 0.668, seed: 9)
        let seedStart = Date()
        for start in stride(from: 0, to: n, by: 20_000) {
            _ = try await store.bulkInsert(p.batch(start..<min(n, start + 20_000), now: Fixtures.t0), device: "seed")
        }
        let seedSeconds = Date().timeIntervalSince(seedStart)
        let (p50, p99) = try await Self.measure(store, sample: p.batch(0..<min(n, 400), now: Fixtures.t0))
        print("link latency \(kind.rawValue), \(n) citizens: p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms; seeded in \(String(format: "%.1f", seedSeconds)) s")
        let audit = try await store.verifyAudit()
        #expect(audit.firstBreak == nil)
        #expect(audit.events == min(n, 400), "one event per link (bulk seeding writes none)")
        #expect(try await store.recentEvents(idNumber: p.batch(0..<1, now: Fixtures.t0).citizens[0].idNumber, limit: 5).count == 1)
        try await store.close()
    }
}
