// The reader stack alone: a full read of the simulated Vietnamese card, recorded once with fixed
// randomness and replayed through TranscriptChannel, so the card and the transport cost nothing.
import Benchmark
import BenchSupport
import Foundation
import ISO7816

/// Recordings made once per process (in the setup hooks, outside every measurement).
final class Recordings: @unchecked Sendable {  // written once in setup, read-only afterwards
    static let shared = Recordings()
    private let lock = NSLock()
    private var full: RecordedRead?
    private var phased: RecordedRead?

    func fullRead() async throws -> RecordedRead {
        if let r = lock.withLock({ full }) { return r }
        let r = try await RecordedRead.record()
        lock.withLock { full = r }
        return r
    }

    func phasedRead() async throws -> RecordedRead {
        if let r = lock.withLock({ phased }) { return r }
        let r = try await PhasedRead.record()
        lock.withLock { phased = r }
        return r
    }

    var recordedFull: RecordedRead { lock.withLock { full! } }
    var recordedPhased: RecordedRead { lock.withLock { phased! } }
}

/// A goal as an absolute p90 threshold: the stored p90 (Thresholds/*.p90.json) is half the goal
/// and the tolerance is half the goal, so anything in 0...goal passes and above it fails.
func ceiling(_ goal: Int) -> BenchmarkThresholds {
    BenchmarkThresholds(absolute: [.p90: goal / 2])
}

/// Resident-set growth over `reads` replayed reads after a warm-up, in KB.
func rssKB() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = s.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .memoryLeaked, .peakMemoryResident]

    Benchmark(
        "Full read + verification (replayed)",
        configuration: .init(
            metrics: metrics, timeUnits: .microseconds, warmupIterations: 3, maxDuration: .seconds(10), maxIterations: 500,
            thresholds: [
                .wallClock: ceiling(5_000_000),  // ≤ 5 ms per read (ns)
                .cpuTotal: ceiling(5_000_000),
                .peakMemoryResident: ceiling(40 * 1024 * 1024),  // ≤ 40 MB
            ],
            setup: { _ = try await Recordings.shared.fullRead() })
    ) { benchmark in
        do {
            blackHole(try await Recordings.shared.recordedFull.replay())
        } catch {
            benchmark.error("\(error)")
        }
    }

    for phase in PhasedRead.Phase.allCases {
        Benchmark(
            "Phase: \(phase.rawValue)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 3,
                maxDuration: .seconds(5), maxIterations: 300,
                setup: { _ = try await Recordings.shared.phasedRead() })
        ) { benchmark in
            do {
                try await Recordings.shared.recordedPhased.replayPhases { p, begin in
                    guard p == phase else { return }
                    if begin { benchmark.startMeasurement() } else { benchmark.stopMeasurement() }
                }
            } catch {
                benchmark.error("\(error)")
            }
        }
    }

    // 10,000 reads do not grow the process: resident set after the last read versus after a
    // warm-up of 500 (allocator pools and caches settle there).
    let reads = Int(ProcessInfo.processInfo.environment["CCCD_BENCH_GROWTH_READS"] ?? "") ?? 10_000
    Benchmark(
        "Memory growth over \(reads) reads (KB)",
        configuration: .init(
            metrics: [.custom("rssGrowthKB", polarity: .prefersSmaller, useScalingFactor: false), .peakMemoryResident],
            warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1,
            thresholds: [.custom("rssGrowthKB", polarity: .prefersSmaller, useScalingFactor: false): ceiling(2048)],
            setup: { _ = try await Recordings.shared.fullRead() })
    ) { benchmark in
        do {
            let recorded = Recordings.shared.recordedFull
            for _ in 0..<min(500, reads) { blackHole(try await recorded.replay()) }
            let before = rssKB()
            for _ in 0..<max(0, reads - 500) { blackHole(try await recorded.replay()) }
            benchmark.measurement(.custom("rssGrowthKB", polarity: .prefersSmaller, useScalingFactor: false), max(0, rssKB() - before))
        } catch {
            benchmark.error("\(error)")
        }
    }
}
