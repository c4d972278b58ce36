import ISO7816

/// The card side of an ISO 7816 exchange: something that answers command APDUs.
///
/// Implemented by the chip simulator and small test cards; served in-process through
/// `InProcessChannel` or as a real card in a virtual reader through `VPCDBridge`.
public protocol SmartCard: AnyObject, Sendable {
    /// The Answer-to-Reset presented when the card is powered.
    var atr: [UInt8] { get }
    /// Cold or warm reset: volatile state (selected files, sessions) is lost.
    func reset()
    /// Power removed: same as reset for a chip without persistent session state.
    func powerOff()
    /// Answers one command APDU (raw bytes in, raw response with SW out).
    func process(_ command: [UInt8]) -> [UInt8]
}

extension SmartCard {
    public func powerOff() { reset() }
}

/// Builds contactless-style ATRs (PC/SC Part 3: `3B 8n 80 01 <historical bytes> TCK`).
public enum ATRBuilder {
    /// An ATR whose historical bytes announce the card capabilities; `extendedLength` sets bit 7
    /// of the third capability byte so readers know they may send extended APDUs.
    public static func contactless(extendedLength: Bool, extraHistorical: [UInt8] = []) -> [UInt8] {
        let historical: [UInt8] = [0x80, 0x73, 0x00, 0x00, extendedLength ? 0x40 : 0x00] + extraHistorical
        var atr: [UInt8] = [0x3B, 0x80 | UInt8(historical.count), 0x80, 0x01] + historical
        let tck = atr.dropFirst().reduce(0, ^)
        atr.append(tck)
        return atr
    }
}
