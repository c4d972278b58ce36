/// An Answer-to-Reset, parsed far enough to learn what the card says about itself
/// (ISO/IEC 7816-3 §8, historical bytes per ISO/IEC 7816-4 §8.1).
public struct ATR: Hashable, Sendable {
    public let bytes: [UInt8]
    /// Historical bytes (T1...TK).
    public let historicalBytes: [UInt8]
    /// Protocols announced in TDi (T=0 is implicit when none is).
    public let protocols: Set<Int>

    public init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 2 else { throw ISO7816Error.truncated("ATR shorter than TS T0") }
        guard bytes[0] == 0x3B || bytes[0] == 0x3F else {
            throw ISO7816Error(.invalidAPDU, "ATR TS byte \([bytes[0]].hex) is neither 3B nor 3F")
        }
        self.bytes = bytes
        var i = 1
        var y = bytes[1] >> 4
        let k = Int(bytes[1] & 0x0F)
        i = 2
        var protos = Set<Int>()
        while true {
            var td: UInt8? = nil
            for bit in 0..<4 where y & (1 << bit) != 0 {
                guard i < bytes.count else { throw ISO7816Error.truncated("ATR interface bytes") }
                if bit == 3 { td = bytes[i] }
                i += 1
            }
            guard let d = td else { break }
            protos.insert(Int(d & 0x0F))
            y = d >> 4
        }
        guard bytes.count >= i + k else { throw ISO7816Error.truncated("ATR historical bytes") }
        historicalBytes = Array(bytes[i..<(i + k)])
        protocols = protos.isEmpty ? [0] : protos
    }

    /// The three "card capabilities" bytes (compact-TLV tag 7, length 3), if the card sends them.
    public var cardCapabilities: [UInt8]? {
        let h = historicalBytes
        guard let category = h.first, category == 0x80 || category == 0x00 else { return nil }
        var i = 1
        let end = category == 0x00 ? max(1, h.count - 3) : h.count
        while i < end {
            let tag = h[i] >> 4, len = Int(h[i] & 0x0F)
            guard i + 1 + len <= h.count else { return nil }
            if tag == 0x7, len >= 3 { return Array(h[(i + 1)...(i + 3)]) }
            i += 1 + len
        }
        return nil
    }

    /// Whether the card announces extended Lc and Le (third capability byte, bit 7).
    /// nil when the ATR does not say.
    public var supportsExtendedLength: Bool? {
        guard let c = cardCapabilities else { return nil }
        return c[2] & 0x40 != 0
    }
}
