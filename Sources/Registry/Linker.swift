import CCCD
import Foundation

/// Links one read to the registry: a pure function from the read and the citizen's snapshot to
/// the `registry` object and the rows to write (chip evidence on a first genuine read, derived
/// account changes, the read event). Stores run it inside their transaction.
public enum Linker {
    public struct Plan: Sendable, Hashable {
        public var link: RegistryLink
        public var mutation: Mutation
    }

    /// The ID number a read links to (DG13 field 1, else the identity's).
    public static func idNumber(of r: CardReadout) -> String? {
        guard let id = r.identity.idNumber ?? r.citizen?.idNumber, id.count == 12, id.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return id
    }

    public static func plan(readout r: CardReadout, snapshot s: Snapshot, context: ReadContext, eventId: String, now: Date) -> Plan {
        let today = ISODate.day(of: now)
        var alerts = Set<RegistryLink.Alert>()
        var discrepancies = [RegistryLink.Discrepancy]()
        var mutation = Mutation()
        var cardOutcome: RegistryLink.CardOutcome?
        var derived = [JSONValue]()
        let evidence = ChipEvidence(readout: r)
        var account = s.account

        if let citizen = s.citizen {
            if let dg13 = r.citizen { discrepancies = compare(card: dg13, record: citizen) }
            var cards = s.cards
            let byDate = r.citizen?.dateOfIssue.flatMap { d in cards.firstIndex { $0.dateOfIssue == d } }
            let byChip = evidence.flatMap { e in cards.firstIndex { $0.chip?.sodSHA256 == e.sodSHA256 } }
            if let i = byDate ?? byChip {
                var card = cards[i]
                if let dg13 = r.citizen, dg13.idNumber != nil, normalized(dg13.dateOfExpiry) != card.dateOfExpiry {
                    discrepancies.append(.init(field: "dateOfExpiry", card: normalized(dg13.dateOfExpiry), record: card.dateOfExpiry))
                }
                let chip: RegistryLink.ChipOutcome
                switch (card.chip, evidence) {
                case (_, nil): chip = .unknown
                case (let stored?, let seen?): chip = stored.matches(seen) ? .sameChip : .differentChip
                case (nil, let seen?):
                    // Only a genuine read of a real card establishes the evidence (never the built-in simulated card).
                    if r.verdict == .genuine && !r.simulated {
                        chip = .firstRead
                        card.chip = seen
                        card.updatedAt = now
                        cards[i] = card
                        mutation.cards.append(card)
                    } else {
                        chip = .unknown
                    }
                }
                if chip == .differentChip { alerts.insert(.differentChip) }
                let status = card.status(on: today)
                switch status {
                case .revoked: alerts.insert(.cardRevoked)
                case .reportedLost: alerts.insert(.cardReportedLost)
                case .replaced: alerts.insert(.cardReplaced)
                case .expired: alerts.insert(.cardExpired)
                default: break
                }
                if cards.contains(where: { $0.dateOfIssue > card.dateOfIssue && $0.storedStatus.wasHandedOver }) { alerts.insert(.cardReplaced) }
                cardOutcome = .init(status: status, dateOfIssue: card.dateOfIssue, chip: chip)
            } else {
                alerts.insert(.cardNotFound)
            }
            if let next = DerivedRules.account(account, cards: cards, today: today, now: now) {
                derived.append(.object(["entity": .string("vneid"), "from": .string(account?.status.rawValue ?? "none"),
                                        "to": .string(next.status.rawValue), "reason": .optional(next.reason?.rawValue)]))
                mutation.accounts.append(next)
                account = next
            }
        } else {
            alerts.insert(.citizenNotFound)
            account = nil
        }
        if !discrepancies.isEmpty { alerts.insert(.dataMismatch) }

        let link = RegistryLink(
            citizen: s.citizen == nil ? .notFound : .found, discrepancies: discrepancies, card: cardOutcome,
            vneid: account.map { .init(status: $0.status, level: $0.level, reason: $0.reason, source: $0.source, observedAt: $0.observedAt) },
            alerts: RegistryLink.Alert.allCases.filter(alerts.contains), eventId: eventId)
        let body: [String: JSONValue] = [
            "reader": .string(r.reader),
            "access": .object(["method": .string(r.access.method), "password": .string(r.access.password)]),
            "verdict": .string(r.verdict.rawValue),
            "simulated": .bool(r.simulated),
            "checks": CheckSummary.value(r.verification),
            "chip": evidence.map { e in .object(["sodSHA256": .string(e.sodSHA256), "signerIssuer": .optional(e.signerIssuer),
                                                 "signerSerial": .optional(e.signerSerial), "caKeySHA256": .optional(e.caKeySHA256),
                                                 "aaKeySHA256": .optional(e.aaKeySHA256)]) } ?? .null,
            "link": link.eventValue,
            "derived": .array(derived),
            "readAt": .string(ISODate.timestamp(r.readAt)),
        ]
        mutation.events.append(EventDraft(id: eventId, at: now, kind: .read, idNumber: idNumber(of: r), station: context.station,
                                          team: context.team, operator: context.operator, body: body))
        return Plan(link: link, mutation: mutation)
    }

    /// Field by field on Unicode NFC text (trimmed; empty = absent) and ISO dates. A field the
    /// card leaves empty is not compared (2024 cards leave several empty). Sex compares as the
    /// letter ("Nam" on the card = "M" in the record).
    public static func compare(card: CardReadout.Citizen, record: Citizen) -> [RegistryLink.Discrepancy] {
        let cardValues: [String: String?] = [
            "fullName": card.fullName, "dateOfBirth": card.dateOfBirth, "sex": Citizen.sexLetter(card.sex) ?? card.sex, "nationality": card.nationality,
            "ethnicity": card.ethnicity, "religion": card.religion, "placeOfOrigin": card.placeOfOrigin,
            "placeOfResidence": card.placeOfResidence, "identifyingMarks": card.identifyingMarks, "fatherName": card.fatherName,
            "motherName": card.motherName, "spouseName": card.spouseName, "oldIdNumber": card.oldIdNumber,
        ]
        var out = [RegistryLink.Discrepancy]()
        for (field, recordValue) in record.comparableFields {
            guard let c = normalized(cardValues[field] ?? nil) else { continue }
            let rv = normalized(recordValue)
            if c != rv { out.append(.init(field: field, card: c, record: rv)) }
        }
        return out
    }

    static func normalized(_ s: String?) -> String? {
        guard let t = s?.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}

extension RegistryStore {
    /// Links a read and records its event in one transaction; returns the `registry` object.
    public func link(_ readout: CardReadout, context: ReadContext, now: Date = Date()) async throws -> RegistryLink {
        let id = Linker.idNumber(of: readout)
        let eventId = UUIDv7.make(at: now)
        return try await transact(ids: id.map { [$0] } ?? [], device: context.device) { snaps in
            let plan = Linker.plan(readout: readout, snapshot: id.flatMap { snaps[$0] } ?? Snapshot(), context: context, eventId: eventId, now: now)
            return (plan.mutation, plan.link)
        }
    }
}
