// End to end: through pcscd and the vpcd virtual readers, against the simulated card served by
// another process (`cccd simulate`), and cold `cccd` processes. Needs pcscd with vsmartcard-vpcd
// running and the release `cccd` built (Benchmarks/run.sh does both).
import Benchmark
import BenchSupport
import CardSimulator
import Foundation
import MRTD
import PCSC

/// The simulators and PC/SC contexts of the running benchmark (one benchmark per process).
final class Rig: @unchecked Sendable {  // set in setup, read in the closure, cleared in teardown
    static let shared = Rig()
    private let lock = NSLock()
    private var cards: [VirtualCard] = []
    private var contexts: [PCSCContext] = []
    private(set) var trustDirectory: String = ""

    func start(slots: [Int]) async throws {
        let card = try PersonalizedCard.personalize(Fixture.profile)
        let trust = try Fixture.trust(card.pki)
        var started = [VirtualCard]()
        var ctx = [PCSCContext]()
        for slot in slots {
            started.append(try await VirtualCard(slot: slot, trust: trust))
            ctx.append(try await PCSCContext.establish())
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-bench-trust-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(card.pki.cscaCertificate).write(to: dir.appendingPathComponent("csca.der"))
        try Data(card.pki.crl).write(to: dir.appendingPathComponent("csca.crl"))
        lock.withLock { cards = started; contexts = ctx; trustDirectory = dir.path }
    }

    func stop() {
        let (c, dir) = lock.withLock { () -> ([VirtualCard], String) in
            defer { cards = []; contexts = [] }
            return (cards, trustDirectory)
        }
        c.forEach { $0.stop() }
        if !dir.isEmpty { try? FileManager.default.removeItem(atPath: dir) }
    }

    func card(_ i: Int) -> (VirtualCard, PCSCContext) { lock.withLock { (cards[i], contexts[i]) } }
}

func ceiling(_ goal: Int) -> BenchmarkThresholds { BenchmarkThresholds(absolute: [.p90: goal / 2]) }

let childRSS = BenchmarkMetric.custom("childPeakRSSKB", polarity: .prefersSmaller, useScalingFactor: false)
let speedup = BenchmarkMetric.custom("parallelSpeedupX100", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Read + verify through pcscd (vpcd, cccd simulate)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(20), maxIterations: 200,
            thresholds: [.wallClock: ceiling(40_000_000)],  // ≤ 40 ms (checked at p90, stricter than the median goal)
            setup: { try await Rig.shared.start(slots: [0]) },
            teardown: { Rig.shared.stop() })
    ) { benchmark in
        do {
            let (card, context) = Rig.shared.card(0)
            blackHole(try await card.read(context: context))
        } catch {
            benchmark.error("\(error)")
        }
    }

    // Throughput of two virtual readers read at once against one: reads per second, both ways.
    let perRound = 20
    Benchmark(
        "Two readers in parallel (speedup x100)",
        configuration: .init(
            metrics: [speedup], warmupIterations: 1, maxDuration: .seconds(120), maxIterations: 5,
            thresholds: [speedup: BenchmarkThresholds(absolute: [.p90: 60])],  // stored 240: 180...300 passes
            setup: { try await Rig.shared.start(slots: [0, 1]) },
            teardown: { Rig.shared.stop() })
    ) { benchmark in
        do {
            let clock = ContinuousClock()
            let (a, ca) = Rig.shared.card(0)
            let (b, cb) = Rig.shared.card(1)
            let one = try await clock.measure {
                for _ in 0..<perRound { blackHole(try await a.read(context: ca)) }
            }
            let two = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for _ in 0..<perRound { blackHole(try await a.read(context: ca)) } }
                    group.addTask { for _ in 0..<perRound { blackHole(try await b.read(context: cb)) } }
                    try await group.waitForAll()
                }
            }
            // (2N / two) / (N / one)
            let ratio = 2 * (Double(one.components.attoseconds) / 1e18 + Double(one.components.seconds))
                / (Double(two.components.attoseconds) / 1e18 + Double(two.components.seconds))
            benchmark.measurement(speedup, Int((ratio * 100).rounded()))
        } catch {
            benchmark.error("\(error)")
        }
    }

    Benchmark(
        "cccd --version (cold process)",
        configuration: .init(
            metrics: [.wallClock, childRSS], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(10), maxIterations: 100,
            thresholds: [.wallClock: ceiling(10_000_000)])  // ≤ 10 ms
    ) { benchmark in
        do {
            let r = try CCCDBinary.run(["--version"])
            guard r.status == 0 else { benchmark.error("cccd --version exited \(r.status)"); return }
            benchmark.measurement(childRSS, r.maxRSSKB)
        } catch {
            benchmark.error("\(error)")
        }
    }

    Benchmark(
        "cccd read (cold process, card in vpcd)",
        configuration: .init(
            metrics: [.wallClock, childRSS], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(20), maxIterations: 100,
            thresholds: [.wallClock: ceiling(60_000_000), childRSS: ceiling(40 * 1024)],  // ≤ 60 ms, ≤ 40 MB
            setup: { try await Rig.shared.start(slots: [0]) },
            teardown: { Rig.shared.stop() })
    ) { benchmark in
        do {
            let r = try CCCDBinary.run(["read", "--reader", VirtualCard.readerNames[0], "--can", Fixture.can,
                                        "--trust", Rig.shared.trustDirectory, "--json"])
            guard r.status == 0 else { benchmark.error("cccd read exited \(r.status) (0 = genuine expected)"); return }
            benchmark.measurement(childRSS, r.maxRSSKB)
        } catch {
            benchmark.error("\(error)")
        }
    }
}
