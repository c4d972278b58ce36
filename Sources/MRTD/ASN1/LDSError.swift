/// A file from the chip does not parse. Carries the file and a reason; equal by file and code.
public struct LDSError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public init(_ file: String, _ reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file) is malformed: \(reason)" }
}
