import MRTD

/// Where the key that opens each card comes from.
///
/// A desk with one operator typing a CAN uses `.fixed`; an issuing station that knows which card
/// it put on which reader looks the CAN up in its records with `.resolver`. The resolver runs once
/// per presented card, before anything is sent to the chip (so a wrong key costs one attempt at
/// most); it may be slow (a database) — it counts against the read timeout and is cancelled with
/// the read. Returning nil reports the card as `noAccessKey` without touching it.
public enum AccessKeySource: Sendable {
    case fixed(AccessKey)
    case resolver(@Sendable (PresentedCard) async throws -> AccessKey?)

    /// The same CAN for every card.
    public static func can(_ can: String) -> AccessKeySource { .fixed(.can(can)) }

    /// The key for `card`; throws `StationError` code `noAccessKey` when the resolver has none.
    func key(for card: PresentedCard) async throws -> AccessKey {
        switch self {
        case .fixed(let key): return key
        case .resolver(let resolve):
            let key: AccessKey?
            do { key = try await resolve(card) } catch let e as StationError { throw e } catch is CancellationError {
                throw StationError(code: .cancelled, message: "cancelled")
            } catch {
                throw StationError(code: .noAccessKey, message: "no access key for the card in \(card.reader): \(error)")
            }
            guard let key else { throw StationError(code: .noAccessKey, message: "no access key for the card in \(card.reader)") }
            return key
        }
    }
}
