import ISO7816

/// A `CardChannel` straight into a simulated card, for tests and demos without pcscd.
/// The APDU is serialised and parsed exactly as it would be on the wire.
public final class InProcessChannel: ResettableChannel, @unchecked Sendable {
    public let card: any SmartCard
    public let limits: TransportLimits

    public init(card: any SmartCard, limits: TransportLimits = .extended) {
        self.card = card
        self.limits = limits
    }

    public func resetCard() async throws { card.reset() }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        if command.needsExtendedLength && !limits.extendedLength {
            throw ISO7816Error(.invalidLength, "extended APDU on a short-only channel")
        }
        let bytes = try command.encoded()
        return try ResponseAPDU(bytes: card.process(bytes))
    }
}
