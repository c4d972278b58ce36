import ISO7816

/// A `CardChannel` that protects every command and verifies every response with secure messaging.
///
/// The first SM failure closes the channel for good: a session with a bad MAC, a missing MAC or a
/// plain error status is never continued and never silently downgraded. Start over with a reset.
public final class SecureChannel: CardChannel, @unchecked Sendable {
    public let base: any CardChannel
    /// What a plain command may ask for once SM overhead is accounted for (fixed per session:
    /// it depends only on the transport and the cipher's block size).
    public let limits: TransportLimits
    /// The largest plain Ne whose protected response still fits a short APDU (256 bytes):
    /// 223 with AES, 231 with 3DES.
    public let maxShortNe: Int
    private let state: Locked<(codec: SecureMessagingCodec, closed: Bool)>
    /// One exchange at a time: protect, transmit and unprotect of one command never interleave
    /// with another's (the send sequence counter must advance in step with the card's).
    private let exchange = AsyncMutex()

    public init(base: any CardChannel, keys: SMKeys) {
        self.base = base
        let codec = SecureMessagingCodec(keys: keys)
        let b = base.limits
        let plain = codec.maxPlainResponse(fitting: min(b.maxResponseBytes - 2, b.extendedLength ? 65536 : 256))
        limits = TransportLimits(extendedLength: b.extendedLength, maxCommandBytes: b.maxCommandBytes - 32, maxResponseBytes: plain + 2)
        maxShortNe = codec.maxPlainResponse(fitting: min(b.maxResponseBytes - 2, CommandAPDU.maxShortNe))
        state = Locked((codec, false))
    }

    public var cipher: SMCipher { state.current.codec.cipher }
    public var isClosed: Bool { state.current.closed }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        try await exchange.withLock { try await exchangeOnce(command) }
    }

    private func exchangeOnce(_ command: CommandAPDU) async throws -> ResponseAPDU {
        // Extended when the protected response may not fit a short one (or the data is long).
        let wantsExtended = base.limits.extendedLength && ((command.ne ?? 0) > maxShortNe || command.data.count > 200)
        let outerNe = base.limits.maxNe
        let protected: CommandAPDU = try state.withLock { s in
            guard !s.closed else { throw MRTDError.secureMessaging(.sessionClosed) }
            do {
                return try s.codec.protect(command, extended: wantsExtended, maxResponseNe: outerNe)
            } catch {
                s.closed = true
                throw MRTDError.secureMessaging(error as? SecureMessagingError ?? .malformed("\(error)"))
            }
        }
        let response: ResponseAPDU
        do {
            response = try await base.transmit(protected)
        } catch {
            state.withLock { $0.closed = true }
            throw error
        }
        return try state.withLock { s in
            do {
                return try s.codec.unprotect(response)
            } catch {
                s.closed = true
                throw MRTDError.secureMessaging(error as? SecureMessagingError ?? .malformed("\(error)"))
            }
        }
    }

    /// Ends the session (after a failed step or when switching keys for Chip Authentication).
    public func close() { state.withLock { $0.closed = true } }
}
