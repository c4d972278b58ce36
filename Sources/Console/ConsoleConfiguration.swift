import Foundation
import ISO7816
import MRTD
import Registry
import Station

/// How `cccd console` runs: where it listens, which readers it watches, where keys come from, how
/// long personal data stays on screen, and who may talk to it.
public struct ConsoleConfiguration: Sendable {
    /// Desk (one operator, any card), an issuing station's verify-printed batch, or a mobile team.
    public enum Mode: Sendable, Hashable {
        case desk
        case station(String)
        case team(String)

        var kind: String {
            switch self {
            case .desk: return "desk"
            case .station: return "station"
            case .team: return "team"
            }
        }

        var name: String? {
            switch self {
            case .desk: return nil
            case .station(let n), .team(let n): return n
            }
        }

        var isStation: Bool { if case .station = self { return true } else { return false } }
    }

    /// Where the key that opens each card comes from.
    public enum KeySource: Sendable {
        /// The operator types the CAN (or MRZ) on the page for each card. (In station mode with a
        /// registry the printed card records provide the CANs instead; see `printedCards`.)
        case operatorEntry
        /// The same key for every card (the built-in simulated card's own CAN).
        case fixed(AccessKey)
    }

    /// A card read over an in-process channel instead of a reader (the built-in simulated card
    /// when pcscd is not there).
    public struct InProcessCard: Sendable {
        public var reader: String
        public var atr: [UInt8]
        public var channel: any CardChannel
        public init(reader: String, atr: [UInt8], channel: any CardChannel) {
            self.reader = reader
            self.atr = atr
            self.channel = channel
        }
    }

    public var host: String
    public var port: Int
    public var readers: ReaderSelection
    public var trust: TrustStore
    public var keySource: KeySource
    public var mode: Mode
    /// Seconds a read card's data stays on the page (and in the server) while the card stays.
    public var clearAfter: Int
    /// Marks every read as the built-in simulated card.
    public var simulated: Bool
    public var inProcessCard: InProcessCard?
    /// The registry reads are linked to (and hand-overs recorded in); nil: none.
    public var store: (any RegistryStore)?
    /// The device whose hash chain the console's events join.
    public var device: String
    public var operatorID: String?
    /// SHA-256 of the operator token (`cccd console token`); nil: no token exists.
    public var tokenHash: [UInt8]?
    /// PEM files for HTTPS; required (with a token) for any address other than loopback.
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var readTimeout: Duration?
    /// How station-mode outcomes are classified when the library's verify-printed check cannot
    /// run (no registry that holds printed cards): the console's own verdict rule.
    var classifier: any BatchClassifier = VerdictClassifier()

    /// Station mode with a registry: the library's `PrintedCardVerifier` opens each card with the
    /// CAN of a printed card record and judges it against that record.
    var printedCards: Bool { mode.isStation && store is any FieldWorkflowStore }

    var classifierName: String { printedCards ? "PrintedCardVerifier" : mode.isStation ? "console (verdict)" : "" }

    public init(host: String = "127.0.0.1", port: Int = 8080, readers: ReaderSelection = .all, trust: TrustStore,
                keySource: KeySource = .operatorEntry, mode: Mode = .desk, clearAfter: Int = 60, simulated: Bool = false,
                inProcessCard: InProcessCard? = nil, store: (any RegistryStore)? = nil, device: String = "console",
                operatorID: String? = nil, tokenHash: [UInt8]? = nil, tlsCertificate: String? = nil, tlsKey: String? = nil,
                readTimeout: Duration? = .seconds(30)) {
        self.host = host
        self.port = port
        self.readers = readers
        self.trust = trust
        self.keySource = keySource
        self.mode = mode
        self.clearAfter = clearAfter
        self.simulated = simulated
        self.inProcessCard = inProcessCard
        self.store = store
        self.device = device
        self.operatorID = operatorID
        self.tokenHash = tokenHash
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.readTimeout = readTimeout
    }

    /// The operator types each card's key (not with the built-in card, nor when printed card
    /// records provide it).
    var keyFromOperator: Bool {
        if printedCards { return false }
        if case .operatorEntry = keySource { return true } else { return false }
    }
    var hasRegistry: Bool { store != nil }

    var readContext: ReadContext {
        switch mode {
        case .desk: return ReadContext(device: device, operator: operatorID)
        case .station(let n): return ReadContext(station: n, device: device, operator: operatorID)
        case .team(let n): return ReadContext(team: n, device: device, operator: operatorID)
        }
    }

    /// Checks the rules that make a listening address safe; throws a one-line reason.
    public func validate() throws {
        guard (1...86_400).contains(clearAfter) else { throw ConsoleError.usage("--clear-after must be between 1 and 86400 seconds") }
        guard (0...65_535).contains(port) else { throw ConsoleError.usage("the port must be between 0 and 65535") }
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ConsoleError.usage("give both --tls-cert and --tls-key") }
        if !PeerPolicy.isLoopback(host: host) {
            guard tlsCertificate != nil else {
                throw ConsoleError.usage("listening on \(host) (not loopback) needs --tls-cert and --tls-key")
            }
            guard tokenHash != nil else {
                throw ConsoleError.usage("listening on \(host) (not loopback) needs an operator token: run `cccd console token` first")
            }
        }
    }
}

/// Why the console could not start or serve: a one-line reason.
public enum ConsoleError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case tls(String)
    case token(String)

    public var description: String {
        switch self {
        case .usage(let m), .tls(let m), .token(let m): return m
        }
    }
}
