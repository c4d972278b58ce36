import Crypto
import Foundation

/// Where protocol randomness comes from. Production uses `SystemRandom`; tests inject the
/// ICAO worked-example values with `FixedRandom` to reproduce the published transcripts.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// The system CSPRNG.
public struct SystemRandom: RandomSource {
    public init() {}
    public func bytes(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}

/// Hands out pre-recorded values in order (each call consumes one value, truncated or checked
/// against the requested size). Running out is a programming error in a test.
public final class FixedRandom: RandomSource, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[UInt8]]

    public init(_ values: [[UInt8]]) { self.values = values }

    public func bytes(_ count: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        precondition(!values.isEmpty, "FixedRandom exhausted")
        let v = values.removeFirst()
        precondition(v.count == count, "FixedRandom value of \(v.count) bytes, \(count) requested")
        return v
    }
}
