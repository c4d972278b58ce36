import ISO7816

/// What can go wrong reading an eMRTD, as a caller needs to react to it.
///
/// Messages are one line and never contain personal data, keys or APDU payloads.
public enum MRTDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The access key (CAN, MRZ, PIN) was wrong. Raised after exactly one attempt.
    case accessDenied(method: String, status: StatusWord?)
    /// The card answered a protocol step with an unexpected status word.
    case cardStatus(StatusWord, step: String)
    /// The card's answer is malformed or inconsistent (hostile or broken chip).
    case protocolViolation(String)
    /// Secure messaging failed; the session is over and must start again from a reset.
    case secureMessaging(SecureMessagingError)
    /// The card or reader asks for something this toolkit does not implement.
    case unsupported(String)
    /// The chip offers no access protocol we can run with the given key.
    case noAccessProtocol(String)
    /// The card's own (explicit) PACE domain parameters are malformed or too weak; nothing derived
    /// from the password was sent. The reason names the failed check.
    case unsafeDomainParameters(String)
    /// A file could not be read.
    case fileNotReadable(String, StatusWord)
    /// The caller cancelled the read.
    case cancelled

    public var description: String {
        switch self {
        case .accessDenied(let m, let sw):
            return "access denied: the card rejected the \(m)" + (sw.map { " (\($0))" } ?? "")
        case .cardStatus(let sw, let step): return "\(step): card answered \(sw)"
        case .protocolViolation(let s): return "card protocol violation: \(s)"
        case .secureMessaging(let e): return "secure messaging: \(e)"
        case .unsupported(let s): return "unsupported: \(s)"
        case .noAccessProtocol(let s): return "no usable access protocol: \(s)"
        case .unsafeDomainParameters(let s): return "PACE domain parameters rejected: \(s)"
        case .fileNotReadable(let f, let sw): return "\(f) not readable: \(sw)"
        case .cancelled: return "cancelled"
        }
    }
}
