import Foundation

/// One exchange as seen by a `TracingChannel`.
///
/// Payloads are only filled in when tracing was created with `.full`; the default keeps headers,
/// lengths and status words, which is enough for support without exposing personal data or keys.
public struct APDUTraceEntry: Sendable, Hashable, Codable {
    public var index: Int
    public var header: String
    public var commandLength: Int
    public var ne: Int?
    public var responseLength: Int
    public var status: String
    public var microseconds: Int
    public var commandHex: String?
    public var responseHex: String?
    public var error: String?

    /// One line for logs.
    public var line: String {
        var s = "#\(index) \(header) Lc=\(commandLength) Le=\(ne.map(String.init) ?? "-") -> \(responseLength) bytes \(status) \(microseconds)µs"
        if let c = commandHex { s += " C=\(c)" }
        if let r = responseHex { s += " R=\(r)" }
        if let e = error { s += " error=\(e)" }
        return s
    }
}

/// Counters a trace keeps for a session.
public struct APDUStatistics: Sendable, Hashable, Codable {
    public var apdus = 0
    public var bytesSent = 0
    public var bytesReceived = 0
    public var microseconds = 0

    public init() {}
}

/// Redaction level for traced APDUs.
public enum TraceDetail: Sendable {
    /// Headers, lengths, status words and timing.
    case redacted
    /// Everything, for development with synthetic cards only.
    case full
}

/// Wraps a channel, counts APDUs and bytes, and hands each exchange to an optional observer.
public final class TracingChannel: ResettableChannel, @unchecked Sendable {
    public let base: any CardChannel
    public let detail: TraceDetail
    private let observer: (@Sendable (APDUTraceEntry) -> Void)?
    private let state = Locked(APDUStatistics())

    public init(_ base: any CardChannel, detail: TraceDetail = .redacted,
                observer: (@Sendable (APDUTraceEntry) -> Void)? = nil) {
        self.base = base
        self.detail = detail
        self.observer = observer
    }

    public var limits: TransportLimits { base.limits }
    public var maxShortNe: Int { base.maxShortNe }

    public var statistics: APDUStatistics { state.current }

    public func resetStatistics() { state.withLock { $0 = APDUStatistics() } }

    /// Resets the card when the traced channel can; otherwise throws `ResetUnsupported`.
    public func resetCard() async throws {
        guard let base = base as? ResettableChannel else { throw ResetUnsupported() }
        try await base.resetCard()
    }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        let encoded = (try? command.encoded(forceExtended: false)) ?? []
        let start = ContinuousClock.now
        do {
            let response = try await base.transmit(command)
            let us = Self.micros(since: start)
            let n = state.withLock { s -> Int in
                s.apdus += 1
                s.bytesSent += encoded.count
                s.bytesReceived += response.data.count + 2
                s.microseconds += us
                return s.apdus
            }
            observer?(entry(n, command, encoded, response: response, us: us, error: nil))
            return response
        } catch {
            let us = Self.micros(since: start)
            let n = state.withLock { s -> Int in
                s.apdus += 1
                s.bytesSent += encoded.count
                s.microseconds += us
                return s.apdus
            }
            observer?(entry(n, command, encoded, response: nil, us: us, error: String(describing: error)))
            throw error
        }
    }

    private func entry(_ n: Int, _ c: CommandAPDU, _ encoded: [UInt8], response: ResponseAPDU?, us: Int, error: String?) -> APDUTraceEntry {
        APDUTraceEntry(
            index: n, header: [c.cla, c.ins, c.p1, c.p2].hex, commandLength: c.data.count, ne: c.ne,
            responseLength: response?.data.count ?? 0,
            status: response.map { [$0.status.sw1, $0.status.sw2].hex } ?? "----",
            microseconds: us,
            commandHex: detail == .full ? encoded.hex : nil,
            responseHex: detail == .full ? response?.bytes.hex : nil,
            error: error)
    }

    private static func micros(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds) * 1_000_000 + Int(d.components.attoseconds / 1_000_000_000_000)
    }
}
