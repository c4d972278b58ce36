/// The one thing every protocol above ISO 7816 needs: send a command, get a response.
///
/// BAC, PACE, secure messaging and file reading are written against this protocol only, so the
/// same code runs over PC/SC, over an in-process simulated card, or over a recorded transcript.
public protocol CardChannel: Sendable {
    /// Sends one command APDU. Implementations handle transport details (T=0 GET RESPONSE, the
    /// choice of short or extended encoding) and throw for transport failures only: a status word
    /// other than 9000 is a normal response.
    func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU

    /// What this transport can carry.
    var limits: TransportLimits { get }

    /// The largest Ne a command may ask for and still travel as a short APDU (256 on a plain
    /// channel; under secure messaging what fits a 256-byte protected response: 223 bytes with
    /// AES, 231 with 3DES). A file reader falls back to this when a card refuses extended Le.
    var maxShortNe: Int { get }
}

extension CardChannel {
    public var maxShortNe: Int { min(CommandAPDU.maxShortNe, limits.maxResponseBytes - 2) }
}

/// What a channel (reader + card) can carry in one APDU.
public struct TransportLimits: Hashable, Sendable, Codable {
    /// Whether extended-length APDUs reach the card intact.
    public var extendedLength: Bool
    /// Largest serialised command APDU, in bytes.
    public var maxCommandBytes: Int
    /// Largest response APDU including SW1 SW2, in bytes.
    public var maxResponseBytes: Int

    public init(extendedLength: Bool, maxCommandBytes: Int, maxResponseBytes: Int) {
        self.extendedLength = extendedLength
        self.maxCommandBytes = maxCommandBytes
        self.maxResponseBytes = maxResponseBytes
    }

    /// Short APDUs only: 5 + 255 + 1 bytes out, 256 + 2 back.
    public static let short = TransportLimits(extendedLength: false, maxCommandBytes: 261, maxResponseBytes: 258)

    /// Full extended length as pcsc-lite carries it.
    public static let extended = TransportLimits(extendedLength: true, maxCommandBytes: 65544, maxResponseBytes: 65538)

    /// The largest Ne worth asking for in one response.
    public var maxNe: Int {
        extendedLength ? min(CommandAPDU.maxExtendedNe, maxResponseBytes - 2) : min(256, maxResponseBytes - 2)
    }

    /// The stricter of two limits (e.g. reader profile and card capabilities).
    public func intersect(_ other: TransportLimits) -> TransportLimits {
        TransportLimits(
            extendedLength: extendedLength && other.extendedLength,
            maxCommandBytes: min(maxCommandBytes, other.maxCommandBytes),
            maxResponseBytes: min(maxResponseBytes, other.maxResponseBytes))
    }
}
