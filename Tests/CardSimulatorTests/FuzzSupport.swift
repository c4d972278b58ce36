import Foundation
import Testing

/// How much each fuzz test does. `swift test` runs the modest defaults (each test well under 3 s
/// in a debug build); a soak sets `CCCD_FUZZ_ITERATIONS` (iterations per test, e.g. 1000000) and
/// optionally `CCCD_FUZZ_SEED` (the first iteration's seed, to replay a range after a crash).
/// Iteration i always uses seed `CCCD_FUZZ_SEED + i`, so any failure is reproducible.
enum FuzzBudget {
    static let environment = ProcessInfo.processInfo.environment

    static func iterations(_ defaultCount: Int) -> Int {
        environment["CCCD_FUZZ_ITERATIONS"].flatMap(Int.init).map { max(1, $0) } ?? defaultCount
    }

    static var baseSeed: UInt64 { environment["CCCD_FUZZ_SEED"].flatMap(UInt64.init) ?? 0 }

    static var isSoak: Bool { environment["CCCD_FUZZ_ITERATIONS"] != nil }

    /// Runs `body` once per iteration with that iteration's generator; in a soak, says where it is
    /// every `every` iterations so a crash can be replayed from the last checkpoint.
    static func run(_ name: String, defaultCount: Int, every: Int = 10_000, _ body: (inout SplitMix64, UInt64) throws -> Void) rethrows {
        let n = iterations(defaultCount)
        for i in 0..<n {
            let seed = baseSeed &+ UInt64(i)
            if isSoak && i % every == 0 { FileHandle.standardError.write(Data("fuzz \(name): seed \(seed) of \(n)\n".utf8)) }
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(name.utf8.count))
            try body(&rng, seed)
        }
    }

    static func runAsync(_ name: String, defaultCount: Int, every: Int = 100, _ body: (inout SplitMix64, UInt64) async throws -> Void) async rethrows {
        let n = iterations(defaultCount)
        for i in 0..<n {
            let seed = baseSeed &+ UInt64(i)
            if isSoak && i % every == 0 { FileHandle.standardError.write(Data("fuzz \(name): seed \(seed) of \(n)\n".utf8)) }
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(name.utf8.count))
            try await body(&rng, seed)
        }
    }
}

/// Structure-aware mutations of a valid encoding: what a broken or hostile card or file does.
enum Mutator {
    /// 1-4 mutations: bit flips, byte changes, truncation, length-field inflation, random inserts,
    /// deletions, duplicated ranges, and INTEGER contents replaced with extreme values.
    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<Int(rng.next() % 4 + 1) {
            if b.isEmpty { b = [UInt8(truncatingIfNeeded: rng.next())] }
            let i = Int(rng.next() % UInt64(b.count))
            switch rng.next() % 9 {
            case 0:
                b[i] ^= 1 << UInt8(rng.next() % 8)
            case 1:
                b[i] = UInt8(truncatingIfNeeded: rng.next())
            case 2:
                b = Array(b.prefix(i))
            case 3:
                // Length-field inflation: the byte at i becomes a long-form length claiming much more.
                let forms: [[UInt8]] = [[0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x83, 0xFF, 0xFF, 0xFF],
                                        [0x82, 0xFF, 0xFF], [0x81, 0xFF], [0x7F], [0x80], [0x85, 1, 0, 0, 0, 0], [0x88] + [UInt8](repeating: 0xFF, count: 8)]
                b.replaceSubrange(i..<(i + 1), with: forms[Int(rng.next() % UInt64(forms.count))])
            case 4:
                b.insert(contentsOf: (0..<Int(rng.next() % 16 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: i)
            case 5:
                b.removeSubrange(i..<min(b.count, i + Int(rng.next() % 16 + 1)))
            case 6:
                let end = min(b.count, i + Int(rng.next() % 64 + 1))
                b.insert(contentsOf: b[i..<end], at: Int(rng.next() % UInt64(b.count + 1)))
            case 7:
                // An INTEGER (tag 02) nearby gets an extreme value: Int.min, Int.max, 2^31, -1, 0 or huge.
                guard let at = b[i...].firstIndex(of: 0x02), at + 1 < b.count, b[at + 1] < 0x80 else { break }
                let end = min(b.count, at + 2 + Int(b[at + 1]))
                let values: [[UInt8]] = [[0x80, 0, 0, 0, 0, 0, 0, 0], [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x80, 0, 0, 0],
                                         [0xFF], [0x00], [], [0x01] + [UInt8](repeating: 0, count: 20)]
                let v = values[Int(rng.next() % UInt64(values.count))]
                b.replaceSubrange(at..<end, with: [0x02, UInt8(v.count)] + v)
            default:
                b.insert(contentsOf: [0x30, 0x80, 0x00, 0x00, 0x31, 0x00, 0x04][Int(rng.next() % 7)...], at: i)
            }
        }
        return b
    }

    static func randomBytes(_ n: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
}
