import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto

/// How a station reads and verifies.
public struct StationOptions: Sendable {
    /// The CSCAs, master lists and CRLs Passive Authentication trusts.
    public var trust: TrustStore
    /// How long one card may take from presentation to verdict (key resolution, access control,
    /// reading, verification; not recording). nil: no limit. A read that runs out is a `timeout`
    /// outcome; it stops at the next APDU boundary.
    public var readTimeout: Duration?
    /// The verification time for each read (injectable so tests are reproducible).
    public var now: @Sendable () -> Date
    public var random: any RandomSource
    /// A fixed Active Authentication challenge (tests); nil draws one from `random`.
    public var activeAuthenticationChallenge: [UInt8]?
    /// Sees every APDU exchange, redacted (headers, lengths, status words, timing; no payloads).
    public var trace: (@Sendable (APDUTraceEntry) -> Void)?

    public init(trust: TrustStore, readTimeout: Duration? = .seconds(30), now: @escaping @Sendable () -> Date = { Date() },
                random: any RandomSource = SystemRandom(), activeAuthenticationChallenge: [UInt8]? = nil,
                trace: (@Sendable (APDUTraceEntry) -> Void)? = nil) {
        self.trust = trust
        self.readTimeout = readTimeout
        self.now = now
        self.random = random
        self.activeAuthenticationChallenge = activeAuthenticationChallenge
        self.trace = trace
    }

    func cardReaderOptions(progress: (@Sendable (ReadProgress) -> Void)?) -> CardReader.Options {
        CardReader.Options(trust: trust, date: now(), random: random, activeAuthenticationChallenge: activeAuthenticationChallenge,
                           progress: progress, trace: trace)
    }
}
