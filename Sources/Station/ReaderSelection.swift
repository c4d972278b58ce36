import PCSC

/// Which readers a station watches. A reader plugged in later joins when it matches.
public enum ReaderSelection: Sendable, Hashable {
    /// Every reader pcscd knows, now and later.
    case all
    /// Readers whose name is this text or contains it (case-insensitively), as `cccd --reader`.
    case matching(String)
    /// Readers matching any of these names (each exact or a case-insensitive substring).
    case list([String])

    /// Whether `reader` is one of the selected readers.
    public func includes(_ reader: String) -> Bool {
        switch self {
        case .all: return true
        case .matching(let filter): return ReaderName.matches(reader, filter)
        case .list(let names): return names.contains { ReaderName.matches(reader, $0) }
        }
    }

    /// `.matching(filter)`, or `.all` when there is no filter.
    public static func filter(_ filter: String?) -> ReaderSelection {
        guard let filter, !filter.isEmpty else { return .all }
        return .matching(filter)
    }
}
