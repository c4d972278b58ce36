/// Why a registry operation was refused: a stable code for programs and one line for people.
/// Messages never carry ID numbers, names or keys.
public enum RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A card status change the lifecycle does not allow, naming both states.
    case illegalCardTransition(from: CardStatus, to: CardStatus)
    /// A VNeID status change the model does not allow, naming both states.
    case illegalAccountTransition(from: VNeIDStatus, to: VNeIDStatus)
    /// `expired` is derived from the date of expiry, never set.
    case expiryIsDerived
    /// An officer tried to hand over a printed card whose chip the station never verified.
    case handOverUnverified
    case invalidRecord(String)
    case notFound(String)
    case store(String)
    case badStoreURL(String)
    case conflict(String)

    public var code: String {
        switch self {
        case .illegalCardTransition, .illegalAccountTransition, .expiryIsDerived, .handOverUnverified: return "illegalTransition"
        case .invalidRecord: return "invalidRecord"
        case .notFound: return "notFound"
        case .store: return "registryUnavailable"
        case .badStoreURL: return "usage"
        case .conflict: return "conflict"
        }
    }

    public var description: String {
        switch self {
        case .illegalCardTransition(let a, let b): return "illegal card transition \(a.rawValue) → \(b.rawValue)"
        case .illegalAccountTransition(let a, let b): return "illegal VNeID transition \(a.rawValue) → \(b.rawValue)"
        case .expiryIsDerived: return "expired is derived from the date of expiry and cannot be set"
        case .handOverUnverified:
            return "illegal card transition printed → handedOver: a printed card is handed over only after the station verifies its chip (printed → verified)"
        case .invalidRecord(let s): return s
        case .notFound(let s): return s
        case .store(let s): return "registry store: \(s)"
        case .badStoreURL(let s): return "bad store URL: \(s)"
        case .conflict(let s): return s
        }
    }
}
