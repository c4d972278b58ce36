import Foundation
import ISO7816

/// A small ISO 7816-4 card that proves the transport layers: SELECT (by FID, path or AID),
/// READ BINARY (short and extended Le, odd offsets), GET CHALLENGE and an extended-length ECHO.
///
/// It is deliberately not an eMRTD; the chip simulator is. Behaviour follows ISO 7816-4 status
/// words so tests see what a real card would say.
public final class TestCard: SmartCard, @unchecked Sendable {
    /// INS of the proprietary echo command: answers its command data unchanged.
    public static let echoINS: UInt8 = 0xEE
    /// INS that answers the T=0 way: `61xx` first, the data only through GET RESPONSE.
    public static let deferredINS: UInt8 = 0xCB
    public static let aid: [UInt8] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01]

    public let atr: [UInt8]
    private let files: [UInt16: [UInt8]]
    private let selected = Locked<UInt16?>(nil)
    private let commandCount = Locked(0)
    private let pendingResponse = Locked<[UInt8]>([])

    /// `files` maps 2-byte file identifiers to contents. A default set holds 0x011E (a short
    /// EF.COM-like file) and 0x0102 (70,000 patterned bytes, for offsets beyond 32767).
    public init(files: [UInt16: [UInt8]]? = nil, extendedLength: Bool = true) {
        self.files = files ?? [
            0x011E: [0x60, 0x05, 0x5F, 0x01, 0x02, 0x30, 0x31],
            0x0102: (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) },
        ]
        self.atr = ATRBuilder.contactless(extendedLength: extendedLength)
    }

    /// How many command APDUs the card has answered since creation.
    public var commandsAnswered: Int { commandCount.current }

    public func reset() { selected.withLock { $0 = nil } }

    public func process(_ bytes: [UInt8]) -> [UInt8] {
        commandCount.withLock { $0 += 1 }
        guard let c = try? CommandAPDU(bytes: bytes) else { return sw(0x6700) }
        guard c.cla & 0xFC == 0x00 else { return sw(0x6E00) }
        switch c.ins {
        case 0xA4: return select(c)
        case 0xB0: return readBinary(c)
        case Self.deferredINS:
            // 300 bytes, handed out in GET RESPONSE pieces of at most 256.
            let data = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
            pendingResponse.withLock { $0 = data }
            return [0x61, 0x00]
        case 0xC0:
            let (chunk, left) = pendingResponse.withLock { p -> ([UInt8], Int) in
                let n = min(p.count, c.ne ?? 256)
                let chunk = Array(p.prefix(n))
                p.removeFirst(n)
                return (chunk, p.count)
            }
            if chunk.isEmpty { return sw(0x6985) }
            return chunk + (left > 0 ? [0x61, UInt8(min(left, 256) & 0xFF)] : [0x90, 0x00])
        case 0x84:
            guard c.data.isEmpty, let ne = c.ne else { return sw(0x6700) }
            // A card that insists on 8-byte challenges says so with 6C08 (wrong Le).
            guard ne == 8 else { return sw(0x6C08) }
            var r = [UInt8](repeating: 0, count: ne)
            for i in r.indices { r[i] = UInt8.random(in: 0...255) }
            return r + [0x90, 0x00]
        case Self.echoINS:
            let ne = c.ne ?? 0
            guard ne == 0 || ne >= c.data.count else { return sw(0x6C00 | UInt16(min(c.data.count, 255))) }
            return c.data + [0x90, 0x00]
        default:
            return sw(0x6D00)
        }
    }

    private func select(_ c: CommandAPDU) -> [UInt8] {
        switch c.p1 {
        case 0x04:
            guard c.data == Self.aid else { return sw(0x6A82) }
            selected.withLock { $0 = nil }
            return sw(0x9000)
        case 0x00, 0x02, 0x08, 0x09:
            guard c.data.count >= 2, c.data.count % 2 == 0 else { return sw(0x6A87) }
            let fid = UInt16(c.data[c.data.count - 2]) << 8 | UInt16(c.data[c.data.count - 1])
            if fid == 0x3F00 { selected.withLock { $0 = nil }; return sw(0x9000) }
            guard files[fid] != nil else { return sw(0x6A82) }
            selected.withLock { $0 = fid }
            return sw(0x9000)
        default:
            return sw(0x6A86)
        }
    }

    private func readBinary(_ c: CommandAPDU) -> [UInt8] {
        var file: [UInt8]
        var offset: Int
        if c.p1 & 0x80 != 0 {  // short EF identifier in P1, offset in P2
            let sfi = UInt16(c.p1 & 0x1F)
            guard let f = files.first(where: { $0.key & 0x1F == sfi })?.value else { return sw(0x6A82) }
            file = f
            offset = Int(c.p2)
        } else {
            guard let fid = selected.current, let f = files[fid] else { return sw(0x6986) }
            file = f
            offset = Int(c.p1) << 8 | Int(c.p2)
        }
        guard let ne = c.ne else { return sw(0x6700) }
        guard offset <= file.count else { return sw(0x6B00) }
        let end = min(file.count, offset + ne)
        let data = Array(file[offset..<end])
        return data + (end - offset < ne ? [0x62, 0x82] : [0x90, 0x00])
    }

    private func sw(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
}
