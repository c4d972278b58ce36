import MRTD

/// Where the key that opens each card comes from.
///
/// A desk with one operator typing a CAN uses `.fixed`; an issuing station that knows which card
/// it put on which reader looks the CAN up in its records with `.resolver`; a station that knows
/// only which cards it printed tries them with `.candidates`. A resolver runs once per presented
/// card, before anything is sent to the chip (so a wrong key costs one attempt at most); it may be
/// slow (a database) — it counts against the read timeout and is cancelled with the read. A
/// resolver returning nil (or no candidates) reports the card as `noAccessKey` without touching it.
public enum AccessKeySource: Sendable {
    case fixed(AccessKey)
    case resolver(@Sendable (PresentedCard) async throws -> AccessKey?)
    /// Keys to try in order, one access attempt each (a wrong CAN costs one failed PACE: EF.CardAccess
    /// and about five APDUs), until one opens the card; the read then goes on under that key. The
    /// opening candidate's label is in `ReadoutContext.accessLabel` and `ReadOutcome.accessLabel`.
    /// When none opens the card the outcome is `accessDenied`.
    case candidates(@Sendable (PresentedCard) async throws -> [AccessCandidate])

    /// The same CAN for every card.
    public static func can(_ can: String) -> AccessKeySource { .fixed(.can(can)) }

    /// The keys to try on `card`, in order; throws `StationError` code `noAccessKey` when there are none.
    func candidates(for card: PresentedCard) async throws -> [AccessCandidate] {
        let found: [AccessCandidate]
        do {
            switch self {
            case .fixed(let key): return [AccessCandidate(key: key, label: nil)]
            case .resolver(let resolve): found = try await resolve(card).map { [AccessCandidate(key: $0, label: nil)] } ?? []
            case .candidates(let list): found = try await list(card)
            }
        } catch let e as StationError { throw e } catch is CancellationError {
            throw StationError(code: .cancelled, message: "cancelled")
        } catch {
            throw StationError(code: .noAccessKey, message: "no access key for the card in \(card.reader): \(error)")
        }
        guard !found.isEmpty else { throw StationError(code: .noAccessKey, message: "no access key for the card in \(card.reader)") }
        return found
    }
}

/// One key a station may try on a presented card, with the application's label for where it came
/// from (e.g. which card record holds this CAN). The label is the application's own text: it is
/// handed back, never logged or sent to the card.
public struct AccessCandidate: Sendable, Hashable {
    public let key: AccessKey
    public let label: String?

    public init(key: AccessKey, label: String?) {
        self.key = key
        self.label = label
    }
}
