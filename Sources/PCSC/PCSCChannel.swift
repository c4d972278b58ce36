import ISO7816

/// A `CardChannel` over a connected PC/SC card, limited by the reader's profile and the card's ATR.
///
/// It never sends an APDU the reader cannot carry: an extended APDU on a short-only reader is a
/// typed error here, before anything reaches the wire.
public final class PCSCChannel: ResettableChannel, @unchecked Sendable {
    public let card: PCSCCard
    public let profile: ReaderProfile
    public let limits: TransportLimits
    public let atr: [UInt8]

    public init(card: PCSCCard, profile: ReaderProfile, limits: TransportLimits, atr: [UInt8]) {
        self.card = card
        self.profile = profile
        self.limits = limits
        self.atr = atr
    }

    /// Opens a channel: matches the reader profile, probes an unknown reader's buffer size, and
    /// applies what the card's ATR says about extended length.
    public static func open(_ card: PCSCCard, catalog: ReaderProfileCatalog = .standard) async throws -> PCSCChannel {
        let profile = catalog.profile(forReader: card.reader) ?? .unknown(readerName: card.reader)
        let atr = try await card.atr()
        var limits = profile.limits
        if profile.extendedLength == nil {
            limits = await probe(card, fallback: limits)
        }
        if let parsed = try? ATR(atr), parsed.supportsExtendedLength == false {
            limits = limits.intersect(.short)
        }
        return PCSCChannel(card: card, profile: profile, limits: limits, atr: atr)
    }

    /// SCARD_ATTR_MAXINPUT is the reader driver's own statement of its buffer (CCID:
    /// dwMaxCCIDMessageLength - 10). Extended length is only assumed when it can hold a full one.
    static func probe(_ card: PCSCCard, fallback: TransportLimits) async -> TransportLimits {
        guard let raw = try? await card.attribute(.maxInput), raw.count >= 4 else { return fallback }
        let maxInput = Int(raw[0]) | Int(raw[1]) << 8 | Int(raw[2]) << 16 | Int(raw[3]) << 24
        if maxInput >= 65544 {
            return TransportLimits(extendedLength: true, maxCommandBytes: min(maxInput, 65544), maxResponseBytes: 65538)
        }
        if maxInput > 261 {
            return TransportLimits(extendedLength: true, maxCommandBytes: maxInput, maxResponseBytes: maxInput)
        }
        return fallback
    }

    /// Resets the card (SCardReconnect with SCARD_RESET_CARD), ending any chip session.
    public func resetCard() async throws {
        try await card.reconnect(initialization: .reset)
    }

    public func transmit(_ command: CommandAPDU) async throws -> ResponseAPDU {
        if command.needsExtendedLength && !limits.extendedLength {
            throw ChannelLimitError(reason: "extended-length APDU on reader \"\(profile.name)\", which carries short APDUs only")
        }
        let bytes = try command.encoded()
        guard bytes.count <= limits.maxCommandBytes else {
            throw ChannelLimitError(reason: "APDU of \(bytes.count) bytes exceeds the reader's \(limits.maxCommandBytes)")
        }
        if let ne = command.ne, ne > limits.maxResponseBytes - 2 {
            throw ChannelLimitError(reason: "Ne \(ne) exceeds the reader's \(limits.maxResponseBytes - 2)")
        }
        return try ResponseAPDU(bytes: try await card.transmit(bytes))
    }
}

/// A command the transport cannot carry (it was not sent).
public struct ChannelLimitError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
