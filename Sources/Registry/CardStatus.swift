/// The lifecycle of one physical card (domain.md): ordered → printed → verified (chip read and
/// verified at the station) → handed over; reported lost, revoked (withdrawn or seized), replaced
/// (a newer card exists). `expired` is never stored: it is derived from the date of expiry.
///
/// `reprint`: the station's check of a freshly printed card failed (not genuine, data differing
/// from the issuance record, unreadable chip); the card record's `statusReasons` say why. The
/// physical card is destroyed and printed again under the same record (→ `printed`, with the new
/// chip's CAN), or the order is cancelled (→ `revoked`). A status rather than a note on `printed`,
/// so a failed card leaves the station's queue of cards to verify and can never be handed over.
public enum CardStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case ordered, printed, verified, handedOver, reportedLost, revoked, replaced, expired, reprint

    /// The statuses a stored status may move to. A status may always be re-stated (no-op).
    public var successors: Set<CardStatus> {
        switch self {
        case .ordered: return [.printed, .revoked]
        case .printed: return [.verified, .reprint, .handedOver, .reportedLost, .revoked]
        case .reprint: return [.printed, .revoked]
        case .verified: return [.handedOver, .reportedLost, .revoked]
        case .handedOver: return [.reportedLost, .revoked, .replaced]
        case .reportedLost: return [.handedOver, .revoked, .replaced]
        case .replaced: return [.revoked, .reportedLost]
        case .revoked, .expired: return []
        }
    }

    /// Checks a change of the stored status; throws naming both states.
    public func checkTransition(to next: CardStatus) throws {
        if next == .expired { throw RegistryError.expiryIsDerived }
        if next == self { return }
        guard successors.contains(next) else { throw RegistryError.illegalCardTransition(from: self, to: next) }
    }

    /// The card reached the citizen (it counts as the citizen's card for the account rules).
    public var wasHandedOver: Bool { [.handedOver, .reportedLost, .revoked, .replaced, .expired].contains(self) }
}
