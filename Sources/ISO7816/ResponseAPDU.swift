/// A response APDU: response data followed by SW1 SW2.
public struct ResponseAPDU: Hashable, Sendable, CustomStringConvertible {
    public var data: [UInt8]
    public var status: StatusWord

    public init(data: [UInt8] = [], status: StatusWord) {
        self.data = data
        self.status = status
    }

    /// Splits raw bytes from the card; fewer than two bytes is a protocol error.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 2 else {
            throw ISO7816Error(.responseTooShort, "response of \(bytes.count) bytes has no status word")
        }
        data = Array(bytes[..<(bytes.count - 2)])
        status = StatusWord(sw1: bytes[bytes.count - 2], sw2: bytes[bytes.count - 1])
    }

    public var bytes: [UInt8] { data + [status.sw1, status.sw2] }

    /// Throws a `CardStatusError` unless the status is 9000.
    @discardableResult
    public func checkSuccess(_ context: String = "") throws -> [UInt8] {
        guard status.isSuccess else { throw CardStatusError(status: status, context: context) }
        return data
    }

    public var description: String { "ResponseAPDU(\(data.count) bytes, \(status))" }
}

/// A card answered with a status word other than the one the protocol step needs.
public struct CardStatusError: Error, Hashable, Sendable, CustomStringConvertible {
    public let status: StatusWord
    public let context: String

    public init(status: StatusWord, context: String = "") {
        self.status = status
        self.context = context
    }

    public var description: String {
        context.isEmpty ? "card answered \(status)" : "\(context): card answered \(status)"
    }
}
