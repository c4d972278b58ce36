/// An affine point on a prime curve, coordinates big-endian at the field's full width.
///
/// Keeping the full width everywhere is what makes PACE interoperable: an encoding that drops
/// leading zero bytes fails about 1 run in 150 on a 256-bit curve.
public struct ECPoint: Hashable, Sendable {
    public let x: [UInt8]
    public let y: [UInt8]

    public init(x: [UInt8], y: [UInt8]) {
        self.x = x
        self.y = y
    }

    /// `04 ‖ x ‖ y`.
    public var uncompressed: [UInt8] { [0x04] + x + y }

    /// Parses an uncompressed encoding whose coordinates are `fieldSize` bytes each.
    public init(uncompressed bytes: [UInt8], fieldSize: Int) throws {
        guard fieldSize > 0, bytes.count == 1 + 2 * fieldSize, bytes.first == 0x04 else {
            throw CryptoError(.invalidPoint, "expected an uncompressed point of \(1 + 2 * fieldSize) bytes, got \(bytes.count)")
        }
        x = Array(bytes[1...fieldSize])
        y = Array(bytes[(fieldSize + 1)...])
    }
}
