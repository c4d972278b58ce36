import Registry

/// Device tokens: 256 random bits as `cccd_` + 64 hex digits. The centre keeps only the
/// SHA-256 of a token, so a copy of its database does not let anyone push as a device.
public enum DeviceToken {
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        var hex = "cccd_"
        for _ in 0..<4 {
            let word = rng.next() as UInt64
            let h = String(word, radix: 16)
            hex += String(repeating: "0", count: 16 - h.count) + h
        }
        return hex
    }

    /// Lower-case hex SHA-256 of the token's UTF-8 bytes.
    public static func digest(_ token: String) -> String { ReadEvent.hashOf(token) }
}
