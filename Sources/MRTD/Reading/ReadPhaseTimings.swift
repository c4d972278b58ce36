import ISO7816

/// The phases of one read and verification, in the order a read usually passes them.
public enum ReadPhase: String, CaseIterable, Codable, Sendable {
    /// EF.CardAccess, then PACE or BAC (and SELECT of the application).
    case access
    /// Chip Authentication: key agreement and the switch to the new session keys.
    case chipAuthentication
    /// READ BINARY of EF.SOD and the data groups, secure messaging included.
    case fileReading
    /// EF.SOD signature, data-group hashes and the signer chain (CPU only).
    case passiveAuthentication
    /// INTERNAL AUTHENTICATE and the signature check.
    case activeAuthentication
}

/// Milliseconds spent per phase of one read, for the `stats` of a readout.
///
/// A value type: the read owns one `ReadPhaseClock` and takes a snapshot at the end. Phases a read
/// did not pass are nil (JSON `null`). Time spent outside every phase (parsing, JSON) is not
/// counted, so the phases add up to less than the read's total milliseconds.
public struct ReadPhaseTimings: Sendable, Hashable, Encodable {
    public var milliseconds: [ReadPhase: Double]

    public init(milliseconds: [ReadPhase: Double] = [:]) { self.milliseconds = milliseconds }

    public subscript(_ phase: ReadPhase) -> Double? { milliseconds[phase] }

    /// `{"access": 12.34, "chipAuthentication": null, ...}`: every phase, two decimals.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for phase in ReadPhase.allCases {
            let key = Key(stringValue: phase.rawValue)
            if let ms = milliseconds[phase] {
                try c.encode((ms * 100).rounded() / 100, forKey: key)
            } else {
                try c.encodeNil(forKey: key)
            }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Collects phase durations while a read runs; safe to share between the read session and the
/// verifier. A phase measured twice (e.g. two file-reading passes around Chip Authentication)
/// adds up.
public final class ReadPhaseClock: Sendable {
    private let state = Locked([ReadPhase: Duration]())
    private let clock = ContinuousClock()

    public init() {}

    /// Runs `body` and adds its wall time to `phase` (also when it throws).
    public func measure<T>(_ phase: ReadPhase, _ body: () async throws -> T) async rethrows -> T {
        let start = clock.now
        defer { add(phase, clock.now - start) }
        return try await body()
    }

    /// Synchronous variant, for CPU-only phases such as Passive Authentication.
    public func measure<T>(_ phase: ReadPhase, _ body: () throws -> T) rethrows -> T {
        let start = clock.now
        defer { add(phase, clock.now - start) }
        return try body()
    }

    public func add(_ phase: ReadPhase, _ duration: Duration) {
        state.withLock { $0[phase, default: .zero] += duration }
    }

    /// What was measured so far, in milliseconds.
    public var timings: ReadPhaseTimings {
        let d = state.current
        return ReadPhaseTimings(milliseconds: d.mapValues { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 })
    }
}
