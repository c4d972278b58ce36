/// Why a registry operation was refused: a stable code for programs and one line for people.
/// Messages never carry ID numbers, names or keys.
public enum RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A card status change the lifecycle does not allow, naming both states.
    case illegalCardTransition(from: CardStatus, to: CardStatus)
    /// A VNeID status change the model does not allow, naming both states.
    case illegalAccountTransition(from: VNeIDStatus, to: VNeIDStatus)
    /// `expired` is derived from the date of expiry, never set.
    case expiryIsDerived
    /// A hand-over asked of a card whose chip the station never verified (`ChangeOrigin`).
    case handOverUnverified(from: CardStatus)
    /// `verified` asked by someone other than the station's chip check (`ChangeOrigin`).
    case verifiedOnlyByTheStation
    case invalidRecord(String)
    case notFound(String)
    case store(String)
    case badStoreURL(String)
    case conflict(String)

    public var code: String {
        switch self {
        case .illegalCardTransition, .illegalAccountTransition, .expiryIsDerived, .handOverUnverified, .verifiedOnlyByTheStation:
            return "illegalTransition"
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
        case .handOverUnverified(let from):
            return "illegal card transition \(from.rawValue) → handedOver: a card is handed over only after the station verified its chip "
                + (from == .reportedLost ? "(or, found again, after a genuine read of it recorded its chip: cccd read --store)" : "(printed → verified)")
        case .verifiedOnlyByTheStation:
            return "illegal card transition → verified: only the station's chip check verifies a card (cccd station verify-printed)"
        case .invalidRecord(let s): return s
        case .notFound(let s): return s
        case .store(let s): return "registry store: \(s)"
        case .badStoreURL(let s): return "bad store URL: \(s)"
        case .conflict(let s): return s
        }
    }
}
