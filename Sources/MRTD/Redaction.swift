/// Values that carry personal data print without it, so an accidental `print`, log line or
/// interpolation never leaks names, numbers or dates. Fields stay accessible to code that needs them.
extension MRZ: CustomStringConvertible {
    public var description: String { "MRZ(\(format.rawValue), \(documentCode) \(issuingState), redacted)" }
}

extension DG1: CustomStringConvertible {
    public var description: String { "DG1(\(raw.count) bytes, redacted)" }
}

extension MRTDReadout: CustomStringConvertible {
    public var description: String {
        "MRTDReadout(\(access.name) with \(password), files: \(files.keys.sorted().map(\.description).joined(separator: " ")), redacted)"
    }
}
