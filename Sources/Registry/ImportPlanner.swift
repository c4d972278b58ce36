import Foundation

/// Turns a batch of import rows into one transaction's mutation against the current snapshots:
/// new records are inserted, changed ones updated (with checked transitions and an event each),
/// unchanged ones left alone; derived rules run after card and account changes.
public enum ImportPlanner {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var record: ImportRecord
        public init(line: Int, record: ImportRecord) {
            self.line = line
            self.record = record
        }
    }

    public struct Outcome: Sendable {
        public var citizens = 0, cards = 0, accounts = 0
        public var rejected: [(line: Int, reason: String)] = []
    }

    public static func plan(_ rows: [Row], snapshots: [String: Snapshot], file: String, context: ReadContext, now: Date) -> (Mutation, Outcome) {
        var snaps = snapshots
        var out = Outcome()
        var changedCitizens = [String: Citizen](), changedCards = [String: Card](), changedAccounts = [String: VNeIDAccount]()
        var events = [EventDraft]()
        func event(_ id: String, _ body: [String: JSONValue]) {
            var b = body
            b["file"] = .string((file as NSString).lastPathComponent)
            events.append(EventDraft(at: now, kind: .import, idNumber: id, station: context.station, team: context.team,
                                     operator: context.operator, body: b))
        }
        func derive(_ id: String) {
            guard let s = snaps[id], let next = DerivedRules.account(s.account, cards: s.cards, today: ISODate.day(of: now), now: now) else { return }
            snaps[id]?.account = next
            changedAccounts[id] = next
        }
        for row in rows {
            let id = row.record.idNumber
            var s = snaps[id] ?? Snapshot()
            switch row.record {
            case .citizen(var c):
                if let old = s.citizen {
                    if !old.sameData(as: c) {
                        c.version = old.version + 1
                        let changed = zip(old.comparableFields, c.comparableFields).filter { $0.1 != $1.1 }.map { JSONValue.string($0.0.0) }
                        event(id, ["entity": .string("citizen"), "changed": .array(changed), "version": .int(c.version)])
                        s.citizen = c
                        changedCitizens[id] = c
                    }
                } else {
                    s.citizen = c
                    changedCitizens[id] = c
                }
                out.citizens += 1
            case .card(var c):
                guard s.citizen != nil else { out.rejected.append((row.line, "no citizen with this ID number")); continue }
                if let i = s.cards.firstIndex(where: { $0.dateOfIssue == c.dateOfIssue }) {
                    let old = s.cards[i]
                    do { try old.storedStatus.checkTransition(to: c.storedStatus) } catch {
                        out.rejected.append((row.line, "\(error)")); continue
                    }
                    c.chip = old.chip
                    if c.can == nil { c.can = old.can }
                    if c.storedStatus == old.storedStatus { c.statusReasons = old.statusReasons }
                    if old.storedStatus == c.storedStatus && old.dateOfExpiry == c.dateOfExpiry && old.can == c.can { out.cards += 1; continue }
                    event(id, ["entity": .string("card"), "dateOfIssue": .string(c.dateOfIssue), "from": .string(old.storedStatus.rawValue),
                               "to": .string(c.storedStatus.rawValue)])
                    s.cards[i] = c
                } else {
                    s.cards.append(c)
                }
                changedCards[id + c.dateOfIssue] = c
                for r in DerivedRules.replacedBy(c, among: s.cards, now: now) {
                    if let j = s.cards.firstIndex(where: { $0.dateOfIssue == r.dateOfIssue }) { s.cards[j] = r }
                    changedCards[id + r.dateOfIssue] = r
                }
                snaps[id] = s
                derive(id)
                s = snaps[id] ?? s
                out.cards += 1
            case .account(let a):
                guard s.citizen != nil else { out.rejected.append((row.line, "no citizen with this ID number")); continue }
                if let old = s.account {
                    do { try old.status.checkTransition(to: a.status) } catch { out.rejected.append((row.line, "\(error)")); continue }
                    if old.status == a.status && old.level == a.level && old.reason == a.reason { out.accounts += 1; continue }
                    event(id, ["entity": .string("vneid"), "from": .string(old.status.rawValue), "to": .string(a.status.rawValue),
                               "level": .optional(a.level), "reason": .optional(a.reason?.rawValue)])
                }
                s.account = a
                changedAccounts[id] = a
                snaps[id] = s
                derive(id)
                s = snaps[id] ?? s
                out.accounts += 1
            }
            snaps[id] = s
        }
        let summary = EventDraft(at: now, kind: .importFile, station: context.station, team: context.team, operator: context.operator, body: [
            "file": .string((file as NSString).lastPathComponent), "firstLine": .optional(rows.first?.line), "lastLine": .optional(rows.last?.line),
            "citizens": .int(out.citizens), "cards": .int(out.cards), "accounts": .int(out.accounts), "rejected": .int(out.rejected.count)])
        let m = Mutation(citizens: Array(changedCitizens.values), cards: Array(changedCards.values), accounts: Array(changedAccounts.values),
                         events: events + [summary])
        return (m, out)
    }
}
