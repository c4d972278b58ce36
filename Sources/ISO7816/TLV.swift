/// One BER-TLV data object (ISO/IEC 7816-4 §5.2, ITU-T X.690 with definite lengths only).
///
/// The value is kept as the exact bytes that were parsed, so a caller can hash or verify what
/// the card sent rather than a re-encoding.
public struct TLV: Hashable, Sendable, CustomStringConvertible {
    public var tag: TLVTag
    public var value: [UInt8]

    public init(tag: TLVTag, value: [UInt8]) {
        self.tag = tag
        self.value = value
    }

    /// A constructed object built from its children.
    public init(tag: TLVTag, children: [TLV]) {
        self.tag = tag
        self.value = children.flatMap { $0.encoded }
    }

    /// Tag, length and value.
    public var encoded: [UInt8] { tag.bytes + TLV.encodeLength(value.count) + value }

    /// The children of a constructed object.
    public func children() throws -> [TLV] {
        guard tag.isConstructed else {
            throw ISO7816Error(.notConstructed, "tag \(tag) is primitive")
        }
        return try TLV.parseAll(value)
    }

    /// The first child with this tag, or nil.
    public func child(_ tag: TLVTag) throws -> TLV? {
        try children().first { $0.tag == tag }
    }

    /// The first child with this tag, or a typed error naming it.
    public func requiredChild(_ tag: TLVTag) throws -> TLV {
        guard let c = try child(tag) else {
            throw ISO7816Error(.missingTag, "tag \(tag) missing inside \(self.tag)")
        }
        return c
    }

    public var description: String { "TLV(\(tag), \(value.count) bytes)" }

    // MARK: - Encoding

    /// Definite-length encoding in the fewest bytes (up to 4 length bytes).
    public static func encodeLength(_ n: Int) -> [UInt8] {
        precondition(n >= 0 && n <= 0xFFFF_FFFF, "TLV length out of range")
        if n < 0x80 { return [UInt8(n)] }
        var bytes = [UInt8]()
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    // MARK: - Parsing

    /// The header of one object: its tag, where its value starts, and how long the value is.
    public struct Header: Hashable, Sendable {
        public var tag: TLVTag
        public var headerLength: Int
        public var valueLength: Int
        public var totalLength: Int { headerLength + valueLength }
    }

    /// Parses only the tag and length at the start of `bytes`; the value may be absent.
    /// Used to learn a file's size from its first few bytes.
    public static func parseHeader<C: Collection>(_ bytes: C) throws -> Header where C.Element == UInt8, C.Index == Int {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard i < end else { throw ISO7816Error.truncated("no tag") }
        let first = bytes[i]
        i += 1
        var tag = UInt32(first)
        if first & 0x1F == 0x1F {
            var count = 0
            while true {
                guard i < end else { throw ISO7816Error.truncated("multi-byte tag truncated") }
                let b = bytes[i]
                i += 1
                count += 1
                guard count <= 3 else { throw ISO7816Error(.invalidTag, "tag longer than 4 bytes") }
                tag = tag << 8 | UInt32(b)
                if b & 0x80 == 0 { break }
            }
        }
        guard i < end else { throw ISO7816Error.truncated("length missing") }
        let l0 = bytes[i]
        i += 1
        var length: Int
        if l0 < 0x80 {
            length = Int(l0)
        } else if l0 == 0x80 {
            throw ISO7816Error(.indefiniteLength, "indefinite length is not allowed")
        } else {
            let n = Int(l0 & 0x7F)
            guard n <= 4 else { throw ISO7816Error(.lengthTooLong, "length of \(n) bytes exceeds 4") }
            guard end - i >= n else { throw ISO7816Error.truncated("length bytes truncated") }
            length = 0
            for _ in 0..<n {
                length = length << 8 | Int(bytes[i])
                i += 1
            }
        }
        return Header(tag: TLVTag(tag), headerLength: i - bytes.startIndex, valueLength: length)
    }

    /// Parses exactly one object; trailing bytes are an error.
    public static func parse(_ bytes: [UInt8]) throws -> TLV {
        let (tlv, used) = try parsePrefix(bytes[...])
        guard used == bytes.count else {
            throw ISO7816Error(.trailingBytes, "\(bytes.count - used) bytes after the object")
        }
        return tlv
    }

    /// Parses one object at the start of `bytes`, returning it and the number of bytes it used.
    public static func parsePrefix(_ bytes: ArraySlice<UInt8>) throws -> (TLV, Int) {
        let h = try parseHeader(bytes)
        guard bytes.count - h.headerLength >= h.valueLength else {
            throw ISO7816Error.truncated("value of \(h.valueLength) bytes, only \(bytes.count - h.headerLength) present")
        }
        let start = bytes.startIndex + h.headerLength
        let value = Array(bytes[start..<(start + h.valueLength)])
        return (TLV(tag: h.tag, value: value), h.totalLength)
    }

    /// Parses a concatenation of objects that must fill `bytes` exactly.
    public static func parseAll(_ bytes: [UInt8]) throws -> [TLV] {
        var out = [TLV]()
        var rest = bytes[...]
        while !rest.isEmpty {
            let (tlv, used) = try parsePrefix(rest)
            out.append(tlv)
            rest = rest.dropFirst(used)
        }
        return out
    }
}
