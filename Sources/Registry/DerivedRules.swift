import Foundation

/// Rules applied on every link and every status change, as pure functions over values.
///
/// - A revoked (withdrawn or seized) card locks the account: Law 26/2023 Art. 34.
/// - An expired card locks the account until a new card is handed over: Decree 69/2024 Art. 15;
///   a handed-over, unexpired newer card unlocks it (reason `cardExpired` only: other locks stay
///   until an officer lifts them).
/// - Handing over a card replaces the citizen's older handed-over cards.
///
/// The rules look at the citizen's *current* card: the one with the latest date of issue among
/// the cards that reached the citizen.
public enum DerivedRules {
    /// The card the rules judge the account by.
    public static func currentCard(_ cards: [Card]) -> Card? {
        cards.filter { $0.storedStatus.wasHandedOver }.max { $0.dateOfIssue < $1.dateOfIssue }
    }

    /// The account as the cards require it, or nil when no change is due.
    public static func account(_ account: VNeIDAccount?, cards: [Card], today: String, now: Date) -> VNeIDAccount? {
        guard let account, let current = currentCard(cards) else { return nil }
        let lockable: Set<VNeIDStatus> = [.pending, .approved, .active]
        switch current.status(on: today) {
        case .revoked where lockable.contains(account.status):
            return VNeIDAccount(idNumber: account.idNumber, status: .locked, level: account.level, reason: .cardRevoked, source: .derived, observedAt: now)
        case .expired where lockable.contains(account.status):
            return VNeIDAccount(idNumber: account.idNumber, status: .locked, level: account.level, reason: .cardExpired, source: .derived, observedAt: now)
        case .handedOver where account.status == .locked && account.reason == .cardExpired:
            return VNeIDAccount(idNumber: account.idNumber, status: account.level == nil ? .approved : .active, level: account.level,
                                reason: nil, source: .derived, observedAt: now)
        default:
            return nil
        }
    }

    /// Older cards that a newly handed-over card replaces (handed over or reported lost, not yet
    /// revoked or replaced), with their new status.
    public static func replacedBy(_ card: Card, among cards: [Card], now: Date) -> [Card] {
        guard card.storedStatus == .handedOver else { return [] }
        return cards.filter { $0.dateOfIssue < card.dateOfIssue && [.handedOver, .reportedLost].contains($0.storedStatus) }.map {
            var c = $0
            c.storedStatus = .replaced
            c.updatedAt = now
            c.source = .derived
            return c
        }
    }
}
