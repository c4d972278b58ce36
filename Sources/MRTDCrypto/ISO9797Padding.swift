/// ISO/IEC 9797-1 padding method 2: append 0x80, then zeros to a multiple of the block size.
public enum ISO9797Padding {
    public static func pad(_ data: [UInt8], blockSize: Int) -> [UInt8] {
        var out = data
        out.append(0x80)
        while out.count % blockSize != 0 { out.append(0) }
        return out
    }

    /// Removes method-2 padding; nil when it is malformed (no 0x80 marker, non-zero filler).
    public static func unpad(_ data: [UInt8]) -> [UInt8]? {
        var i = data.count - 1
        while i >= 0 && data[i] == 0 { i -= 1 }
        guard i >= 0, data[i] == 0x80 else { return nil }
        return Array(data[..<i])
    }
}
