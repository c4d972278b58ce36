/// Who asks for a card status change, which decides what it may skip.
///
/// The lifecycle (`CardStatus.successors`) is the set of facts a record may move through, so a
/// national-registry import can say a printed card was handed over elsewhere. People and devices
/// asking for a change get stricter rules: a card reaches its citizen only after the station
/// verified its chip, and only the station's check verifies it.
public enum ChangeOrigin: Sendable, Hashable {
    /// `cccd card set-status`, the console: never `verified` (the station's check sets it); a
    /// hand-over only of a verified card, or of a lost one whose chip a genuine read recorded.
    case officer
    /// A device's `cardStatus` event applied at the centre: as an officer, except that `verified`
    /// is accepted once the device's read has given the centre the chip's evidence.
    case deviceEvent
    /// The centre's own status feed applied on a device: the centre checked it; only the lifecycle
    /// applies.
    case centreFeed

    /// Throws when this origin may not make `card` go to `next` (the lifecycle already allowed it).
    func check(_ card: Card, to next: CardStatus) throws {
        guard self != .centreFeed, next != card.storedStatus else { return }
        switch next {
        case .verified:
            if self == .officer || card.chip == nil { throw RegistryError.verifiedOnlyByTheStation }
        case .handedOver:
            switch card.storedStatus {
            case .verified: return
            case .reportedLost where card.chip != nil: return
            default: throw RegistryError.handOverUnverified(from: card.storedStatus)
            }
        default:
            return
        }
    }
}
