

/// A channel whose card can be reset, ending any secure-messaging session on the chip.
///
/// A read that must start over (BAC after a PACE failure, Chip Authentication after an error)
/// needs a fresh session; PC/SC channels reset with SCardReconnect, simulators with a power cycle.
public protocol ResettableChannel: CardChannel {
    func resetCard() async throws
}

/// A wrapper channel was asked to reset a card its underlying channel cannot reset.
public struct ResetUnsupported: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "this channel cannot reset the card" }
}
