import ISO7816
import MRTD
import PCSC

/// Why a presented card was not read (or not recorded): a stable code for programs and a
/// one-line message for people. The codes are the ones `cccd` prints in its JSON errors. Two
/// errors are equal when their codes are.
public struct StationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// The card rejected the access key (one attempt was made).
        case accessDenied
        /// The card offers no access protocol this key can open (e.g. a CAN on a BAC-only card).
        case noAccessProtocol
        /// The key resolver had no key for this card.
        case noAccessKey
        /// The access key is not well formed.
        case usage
        /// The card left the reader (or was reset) during the read.
        case cardRemoved
        case noCard
        case noReader
        case pcscUnavailable
        /// The read did not finish within the station's read timeout.
        case timeout
        /// The reader or PC/SC failed to carry an APDU.
        case communication
        /// The chip answered a step with an error or broke the protocol.
        case cardError
        /// A file from the chip does not parse.
        case malformedCard
        /// The reader cannot carry an APDU the read needs.
        case readerLimit
        case trustStore
        /// The card was read but the recorder failed; the readout is kept.
        case recordFailed
        case cancelled
        case `internal`
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (a: StationError, b: StationError) -> Bool { a.code == b.code }
    public func hash(into h: inout Hasher) { h.combine(code) }

    static func timeout(_ limit: Duration) -> StationError {
        let ms = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        let text = ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
        return StationError(code: .timeout, message: "the read did not finish within \(text)")
    }

    /// Maps any error a read can raise to its code, with that error's own one-line message.
    public init(classifying error: any Error) {
        switch error {
        case let e as StationError: self = e
        case let e as PCSCError: self.init(code: Self.code(e), message: e.description)
        case let e as MRTDError:
            switch e {
            case .accessDenied: self.init(code: .accessDenied, message: e.description)
            case .noAccessProtocol: self.init(code: .noAccessProtocol, message: e.description)
            case .cancelled: self.init(code: .cancelled, message: "cancelled")
            default: self.init(code: .cardError, message: e.description)
            }
        case let e as LDSError: self.init(code: .malformedCard, message: e.description)
        case let e as AccessKeyError: self.init(code: .usage, message: e.description)
        case let e as TrustStoreError: self.init(code: .trustStore, message: e.description)
        case let e as ChannelLimitError: self.init(code: .readerLimit, message: e.description)
        case let e as ISO7816Error: self.init(code: .cardError, message: e.description)
        case is CancellationError: self.init(code: .cancelled, message: "cancelled")
        default: self.init(code: .internal, message: "\(error)")
        }
    }

    static func code(_ e: PCSCError) -> Code {
        switch e {
        case .noService, .serviceStopped: return .pcscUnavailable
        case .removedCard, .resetCard: return .cardRemoved
        case .noReadersAvailable, .unknownReader, .readerUnavailable: return .noReader
        case .noSmartcard: return .noCard
        case .timeout: return .timeout
        default: return .communication
        }
    }
}
