/// Errors of the ISO 7816-4 layer: malformed APDUs and TLV, and channel failures.
///
/// Equal by `code` only, so tests can match `ISO7816Error.truncated` without caring where it was thrown.
public struct ISO7816Error: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }
        public static let truncated = Code(name: "truncated")
        public static let trailingBytes = Code(name: "trailingBytes")
        public static let invalidLength = Code(name: "invalidLength")
        public static let indefiniteLength = Code(name: "indefiniteLength")
        public static let lengthTooLong = Code(name: "lengthTooLong")
        public static let nonMinimalLength = Code(name: "nonMinimalLength")
        public static let invalidTag = Code(name: "invalidTag")
        public static let invalidAPDU = Code(name: "invalidAPDU")
        public static let dataTooLong = Code(name: "dataTooLong")
        public static let responseTooShort = Code(name: "responseTooShort")
        public static let unexpectedCommand = Code(name: "unexpectedCommand")
        public static let transcriptExhausted = Code(name: "transcriptExhausted")
        public static let nestingTooDeep = Code(name: "nestingTooDeep")
        public static let notConstructed = Code(name: "notConstructed")
        public static let missingTag = Code(name: "missingTag")
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (a: ISO7816Error, b: ISO7816Error) -> Bool { a.code == b.code }
    public func hash(into h: inout Hasher) { h.combine(code) }
    public var description: String { "\(code): \(reason)" }

    public static func truncated(_ reason: String = "input ends early", file: String = #fileID, line: Int = #line) -> ISO7816Error {
        .init(.truncated, reason, file: file, line: line)
    }
}
