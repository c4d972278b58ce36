// The registry: seeding Hà Nam's 754,277 citizens through `cccd registry seed`, linking a read
// (snapshot, rules, event in the device's hash chain, commit) at a million citizens, and the
// campaign figures of those million, on SQLite and on PostgreSQL. Seeded link stores are kept in $CCCD_BENCH_DIR between runs.
import Benchmark
import BenchSupport
import Foundation
import Registry

/// A goal as an absolute p90 threshold (see ReaderStack): the stored value is half the goal and
/// half the goal is allowed either way, so 0...goal passes.
func ceiling(_ goal: Int) -> BenchmarkThresholds { BenchmarkThresholds(absolute: [.p90: goal / 2]) }

let linkP99 = BenchmarkMetric.custom("link p99 (µs)")
let linkP50 = BenchmarkMetric.custom("link p50 (µs)")

/// Links 2,000 reads of citizens spread over the province; reports p50 and p99 in µs.
func linkBenchmark(_ name: String, open: @escaping @Sendable () async throws -> any RegistryStore) {
    Benchmark(
        name,
        configuration: .init(
            metrics: [linkP50, linkP99], warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1,
            thresholds: [linkP99: ceiling(2_000)])
    ) { benchmark in
        do {
            let store = try await open()
            let readouts = try await RegistryBench.readouts(count: 2_200)
            // The first 200 warm the page cache and the prepared statements; they are not counted.
            _ = try await RegistryBench.linkLatencies(store, Array(readouts.prefix(200)))
            let ms = try await RegistryBench.linkLatencies(store, Array(readouts.dropFirst(200)))
            benchmark.measurement(linkP50, Int(RegistryBench.percentile(ms, 0.50) * 1000))
            benchmark.measurement(linkP99, Int(RegistryBench.percentile(ms, 0.99) * 1000))
            try await store.close()
        } catch {
            benchmark.error("\(error)")
        }
    }
}

/// The figures a campaign page shows (`registry stats` of the province: counts, coverage,
/// accounts, groups, activation per district and team by month), on the seeded link store.
func statsBenchmark(_ name: String, open: @escaping @Sendable () async throws -> any RegistryStore) {
    Benchmark(
        name,
        configuration: .init(
            metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(600), maxIterations: 5,
            thresholds: [.wallClock: ceiling(5_000_000_000)])
    ) { benchmark in
        do {
            let store = try await open()
            benchmark.startMeasurement()
            let stats = try await store.stats(province: "035", today: "2026-12-01")
            benchmark.stopMeasurement()
            if stats.activationByDistrict.isEmpty { benchmark.error("no activation series") }
            try await store.close()
        } catch {
            benchmark.error("\(error)")
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Seed Hà Nam, 754,277 citizens (cccd registry seed, SQLite)",
        configuration: .init(
            metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1,
            thresholds: [.wallClock: ceiling(20_000_000_000)])
    ) { benchmark in
        guard let bin = ProcessInfo.processInfo.environment["CCCD_BIN"] else {
            benchmark.error("CCCD_BIN is not set (Benchmarks/run.sh builds cccd)")
            return
        }
        let path = RegistryBench.directory + "/seed-\(getpid()).sqlite"
        try? FileManager.default.createDirectory(atPath: RegistryBench.directory, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["registry", "seed", "--province", "035", "--citizens", "754277", "--store", "sqlite:" + path, "--json"]
        p.standardOutput = FileHandle.nullDevice
        benchmark.startMeasurement()
        do {
            try p.run()
            p.waitUntilExit()
        } catch {
            benchmark.error("\(error)")
        }
        benchmark.stopMeasurement()
        if p.terminationStatus != 0 { benchmark.error("cccd registry seed exited \(p.terminationStatus)") }
    }

    linkBenchmark("Link a read, SQLite, 1M citizens") { try await RegistryBench.seededSQLite() }
    linkBenchmark("Link a read, PostgreSQL, 1M citizens") { try await RegistryBench.seededPostgres() }
    statsBenchmark("Campaign figures (registry stats), SQLite, 1M citizens") { try await RegistryBench.seededSQLite() }
    statsBenchmark("Campaign figures (registry stats), PostgreSQL, 1M citizens") { try await RegistryBench.seededPostgres() }
}
