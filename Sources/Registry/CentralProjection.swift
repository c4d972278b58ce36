import Foundation

/// How the centre takes a device's newly synced event into its records (issue #11 §4).
///
/// The event itself is always stored, verbatim: it is a fact from the field. Its *change* is
/// applied to the central rows through the same checked rules a local command uses:
/// - `cardStatus` / `vneidStatus` / `vneidApplication` (a level-2 dossier: `pending` level 2): the
///   body's `to` (with `dateOfIssue`, `level`, `reason`) as a checked transition from the centre's
///   current state, plus the derived consequences;
/// - `read`: the first genuine chip evidence of a card (`link.card.chip == "firstRead"`), if the
///   central card has none; a central card holding other evidence is a `differentChip` conflict;
/// - every other kind (imports, seeds) is stored only: the centre's records come from its own imports.
/// A change the central state forbids (e.g. `handedOver` for a card the centre revoked) is not
/// applied and is reported as a conflict in the receipt; the event is kept either way.
public enum CentralProjection {
    /// ID numbers whose rows the event may change (to load and lock before applying).
    public static func touches(_ e: ReadEvent) -> String? {
        switch e.kind {
        case .cardStatus, .vneidStatus, .vneidApplication: return e.idNumber
        case .read: return e.content?["body"]?["link"]?["card"]?["chip"]?.stringValue == "firstRead" ? e.idNumber : nil
        default: return nil
        }
    }

    /// The rows the event changes given the central snapshot, or the conflict that stops it.
    /// A mutation never carries events: the device's event is the record of the change.
    public static func plan(_ e: ReadEvent, snapshot s: Snapshot, now: Date) -> (Mutation, SyncConflict?) {
        guard let id = e.idNumber, let body = e.content?["body"] else { return (Mutation(), nil) }
        do {
            switch e.kind {
            case .cardStatus:
                guard let to = body["to"]?.stringValue, let d = body["dateOfIssue"]?.stringValue else { return (Mutation(), nil) }
                let u = StatusUpdate(cursor: 0, eventId: e.id, kind: .cardStatus, idNumber: id, at: e.at, to: to, dateOfIssue: d)
                return (try u.mutation(s, now: now, origin: .deviceEvent), nil)
            case .vneidStatus, .vneidApplication:
                guard let to = body["to"]?.stringValue else { return (Mutation(), nil) }
                if e.kind == .vneidApplication, to != VNeIDStatus.pending.rawValue || body["level"]?.intValue != 2 {
                    return (Mutation(), SyncConflict(code: "badApplication", message: "an application only ever asks for pending level 2"))
                }
                let u = StatusUpdate(cursor: 0, eventId: e.id, kind: .vneidStatus, idNumber: id, at: e.at, to: to,
                                     level: body["level"]?.intValue, reason: body["reason"]?.stringValue)
                return (try u.mutation(s, now: now, origin: .deviceEvent), nil)
            case .read:
                return firstChip(body, snapshot: s, now: now)
            default:
                return (Mutation(), nil)
            }
        } catch let error as RegistryError {
            return (Mutation(), SyncConflict(code: error.code, message: error.description))
        } catch {
            return (Mutation(), SyncConflict(code: "conflict", message: "\(error)"))
        }
    }

    static func firstChip(_ body: JSONValue, snapshot s: Snapshot, now: Date) -> (Mutation, SyncConflict?) {
        guard body["link"]?["card"]?["chip"]?.stringValue == "firstRead", body["verdict"]?.stringValue == "genuine",
              body["simulated"] != .bool(true), let d = body["link"]?["card"]?["dateOfIssue"]?.stringValue,
              let chip = body["chip"], let sod = chip["sodSHA256"]?.stringValue else { return (Mutation(), nil) }
        guard var card = s.cards.first(where: { $0.dateOfIssue == d }) else {
            return (Mutation(), SyncConflict(code: "notFound", message: "the centre has no card issued \(d) for this citizen"))
        }
        let seen = ChipEvidence(sodSHA256: sod, signerIssuer: chip["signerIssuer"]?.stringValue, signerSerial: chip["signerSerial"]?.stringValue,
                                caKeySHA256: chip["caKeySHA256"]?.stringValue, aaKeySHA256: chip["aaKeySHA256"]?.stringValue)
        if let stored = card.chip {
            if stored.matches(seen) { return (Mutation(), nil) }
            return (Mutation(), SyncConflict(code: "differentChip", message: "the centre holds other chip evidence for this card"))
        }
        card.chip = seen
        card.updatedAt = now
        return (Mutation(cards: [card]), nil)
    }
}
