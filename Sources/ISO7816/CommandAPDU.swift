/// A command APDU (ISO/IEC 7816-4 §5.1): header, optional command data, optional expected length.
///
/// The encoding (short or extended) is chosen when the APDU is serialised, so higher layers describe
/// *what* they want and the channel decides *how* it travels.
public struct CommandAPDU: Hashable, Sendable, CustomStringConvertible {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    /// Command data (Nc = data.count, 0...65535).
    public var data: [UInt8]
    /// Ne, the maximum number of response bytes expected (1...65536), or nil for no Le field.
    public var ne: Int?

    /// Largest Ne a short APDU can ask for (Le = 00).
    public static let maxShortNe = 256
    /// Largest Ne an extended APDU can ask for (Le = 0000).
    public static let maxExtendedNe = 65536
    public static let maxShortNc = 255
    public static let maxExtendedNc = 65535

    public init(cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], ne: Int? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.ne = ne
    }

    /// The ISO case: 1 (no data, no Le), 2 (Le only), 3 (data only), 4 (both).
    public var isoCase: Int {
        switch (data.isEmpty, ne == nil) {
        case (true, true): return 1
        case (true, false): return 2
        case (false, true): return 3
        case (false, false): return 4
        }
    }

    /// True when this APDU cannot be carried in the short encoding.
    public var needsExtendedLength: Bool {
        data.count > Self.maxShortNc || (ne ?? 0) > Self.maxShortNe
    }

    /// Checks Nc and Ne ranges.
    public func validate() throws {
        guard data.count <= Self.maxExtendedNc else {
            throw ISO7816Error(.dataTooLong, "command data of \(data.count) bytes exceeds 65535")
        }
        if let ne, !(1...Self.maxExtendedNe).contains(ne) {
            throw ISO7816Error(.invalidLength, "Ne \(ne) is outside 1...65536")
        }
    }

    /// Serialises the APDU. `extended` forces the extended encoding; otherwise it is used only when needed.
    public func encoded(forceExtended extended: Bool = false) throws -> [UInt8] {
        try validate()
        var out: [UInt8] = [cla, ins, p1, p2]
        out.reserveCapacity(4 + 3 + data.count + 3)
        let useExtended = extended || needsExtendedLength
        if !useExtended {
            if !data.isEmpty {
                out.append(UInt8(data.count))
                out += data
            }
            if let ne { out.append(ne == 256 ? 0 : UInt8(ne)) }
            return out
        }
        if data.isEmpty {
            if let ne {
                let le = ne == 65536 ? 0 : ne
                out += [0x00, UInt8(le >> 8), UInt8(le & 0xFF)]
            }
            return out
        }
        out += [0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
        out += data
        if let ne {
            let le = ne == 65536 ? 0 : ne
            out += [UInt8(le >> 8), UInt8(le & 0xFF)]
        }
        return out
    }

    /// Parses a serialised APDU (the card side of a channel). Rejects every inconsistent length.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 4 else { throw ISO7816Error.truncated("APDU shorter than its 4-byte header") }
        cla = bytes[0]; ins = bytes[1]; p1 = bytes[2]; p2 = bytes[3]
        data = []
        ne = nil
        let body = bytes[4...]
        let n = body.count
        if n == 0 { return }
        let b0 = Int(body[body.startIndex])
        if n == 1 {  // case 2S
            ne = b0 == 0 ? 256 : b0
            return
        }
        if b0 != 0 {  // short, case 3S or 4S
            let nc = b0
            if n == 1 + nc {
                data = Array(body.dropFirst())
            } else if n == 2 + nc {
                data = Array(body.dropFirst().prefix(nc))
                let le = Int(body[body.startIndex + 1 + nc])
                ne = le == 0 ? 256 : le
            } else {
                throw ISO7816Error(.invalidLength, "short Lc \(nc) does not match \(n) body bytes")
            }
            return
        }
        // b0 == 0 and n >= 2: extended
        guard n >= 3 else { throw ISO7816Error(.invalidLength, "extended length field truncated") }
        let l = Int(body[body.startIndex + 1]) << 8 | Int(body[body.startIndex + 2])
        if n == 3 {  // case 2E
            ne = l == 0 ? 65536 : l
            return
        }
        guard l != 0 else { throw ISO7816Error(.invalidLength, "extended Lc of zero") }
        if n == 3 + l {
            data = Array(body.dropFirst(3))
        } else if n == 5 + l {
            data = Array(body.dropFirst(3).prefix(l))
            let i = body.startIndex + 3 + l
            let le = Int(body[i]) << 8 | Int(body[i + 1])
            ne = le == 0 ? 65536 : le
        } else {
            throw ISO7816Error(.invalidLength, "extended Lc \(l) does not match \(n) body bytes")
        }
    }

    /// Header only, so a default-level log never shows payloads.
    public var description: String {
        "CommandAPDU(\([cla, ins, p1, p2].hex), Nc=\(data.count), Ne=\(ne.map(String.init) ?? "-"))"
    }
}
