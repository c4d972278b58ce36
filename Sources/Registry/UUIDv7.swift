import Foundation

/// RFC 9562 UUID version 7: 48-bit Unix milliseconds, then random bits. Time-ordered, so event
/// ids sort by creation and index well.
public enum UUIDv7 {
    public static func make<R: RandomNumberGenerator>(at date: Date, using rng: inout R) -> String {
        let ms = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8((ms >> (8 * UInt64(5 - i))) & 0xFF) }
        let r1 = rng.next() as UInt64, r2 = rng.next() as UInt64
        for i in 6..<16 { b[i] = UInt8(truncatingIfNeeded: (i < 11 ? r1 >> (8 * UInt64(i - 6)) : r2 >> (8 * UInt64(i - 11)))) }
        b[6] = 0x70 | (b[6] & 0x0F)
        b[8] = 0x80 | (b[8] & 0x3F)
        let h = Hex.string(b)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    public static func make(at date: Date = Date()) -> String {
        var g = SystemRandomNumberGenerator()
        return make(at: date, using: &g)
    }
}
