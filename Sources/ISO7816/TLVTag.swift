/// A BER-TLV tag as its encoded bytes packed big-endian into an integer (`0x5F1F`, `0x7F49`, `0x6D`).
///
/// Keeping the encoded form (rather than class + number) lets code write tags exactly as the
/// specifications print them.
public struct TLVTag: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    /// Encoded bytes, 1 to 4.
    public var bytes: [UInt8] {
        var v = rawValue
        var out = [UInt8]()
        repeat {
            out.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        } while v != 0
        return out
    }

    private var firstByte: UInt8 { bytes[0] }

    /// Bit 6 of the first byte.
    public var isConstructed: Bool { firstByte & 0x20 != 0 }

    public enum TagClass: Sendable { case universal, application, contextSpecific, privateUse }

    public var tagClass: TagClass {
        switch firstByte >> 6 {
        case 0: return .universal
        case 1: return .application
        case 2: return .contextSpecific
        default: return .privateUse
        }
    }

    public var description: String { bytes.hex }
}
