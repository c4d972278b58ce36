/// Replays a recorded exchange: each command must equal the next recorded one, byte for byte.
///
/// An unexpected command is an error, never an empty answer, so a test fails exactly where the
/// reader deviates from the transcript.
public final class TranscriptChannel: CardChannel, @unchecked Sendable {
    public struct Exchange: Sendable, Hashable {
        public var command: [UInt8]
        public var response: [UInt8]
        public init(command: [UInt8], response: [UInt8]) {
            self.command = command
            self.response = response
        }
    }

    private let exchanges: [Exchange]
    private let position = Locked(0)
    public let limits: TransportLimits

    public init(_ exchanges: [Exchange], limits: TransportLimits = .extended) {
        self.exchanges = exchanges
        self.limits = limits
    }

    /// From hex pairs, as printed in the specifications. Spaces are ignored.
    public convenience init(hexPairs: [(String, String)], limits: TransportLimits = .extended) throws {
        let ex = try hexPairs.map { c, r -> Exchange in
            guard let cb = Hex.decode(c), let rb = Hex.decode(r) else {
                throw ISO7816Error(.invalidAPDU, "transcript entry is not hex")
            }
            return Exchange(command: cb, response: rb)
        }
        self.init(ex, limits: limits)
    }

    /// True once every recorded exchange has been replayed.
    public var isComplete: Bool { position.current == exchanges.count }
    public var consumed: Int { position.current }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        let bytes = try command.encoded()
        let ex: Exchange = try position.withLock { p in
            guard p < exchanges.count else {
                throw ISO7816Error(.transcriptExhausted, "command \(p + 1) beyond the \(exchanges.count) recorded")
            }
            let e = exchanges[p]
            guard e.command == bytes else {
                throw ISO7816Error(.unexpectedCommand, "command \(p + 1) was \(bytes.hex), transcript has \(e.command.hex)")
            }
            p += 1
            return e
        }
        return try ResponseAPDU(bytes: ex.response)
    }
}
