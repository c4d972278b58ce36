import Foundation
import ISO7816

/// A store in memory, for tests of the rules and for demos: the same semantics as the database
/// stores (one lock around each transaction, device chains, append-only events).
public final class InMemoryRegistryStore: RegistryStore {
    struct State {
        var citizens: [String: Citizen] = [:]
        var cards: [String: [Card]] = [:]
        var accounts: [String: VNeIDAccount] = [:]
        var events: [ReadEvent] = []
        var heads: [String: (seq: Int, hash: String)] = [:]
        var meta: [String: String] = [:]
    }

    let state = Locked(State())

    public init() {}

    public func migrate() async throws {}
    public func close() async throws {}

    public func snapshots(_ ids: [String]) async throws -> [String: Snapshot] {
        state.withLock { s in Self.snapshots(ids, s) }
    }

    static func snapshots(_ ids: [String], _ s: State) -> [String: Snapshot] {
        var out = [String: Snapshot]()
        for id in ids { out[id] = Snapshot(citizen: s.citizens[id], cards: s.cards[id] ?? [], account: s.accounts[id]) }
        return out
    }

    public func transact<T: Sendable>(ids: [String], device: String,
                                      _ decide: @Sendable ([String: Snapshot]) throws -> (Mutation, T)) async throws -> T {
        try state.withLock { s in
            let (m, value) = try decide(Self.snapshots(ids, s))
            Self.apply(m, device: device, to: &s, insertOnly: false)
            return value
        }
    }

    public func bulkInsert(_ m: Mutation, device: String) async throws -> Int {
        state.withLock { s in
            let before = s.citizens.count
            Self.apply(m, device: device, to: &s, insertOnly: true)
            return s.citizens.count - before
        }
    }

    static func apply(_ m: Mutation, device: String, to s: inout State, insertOnly: Bool) {
        for c in m.citizens where !(insertOnly && s.citizens[c.idNumber] != nil) { s.citizens[c.idNumber] = c }
        for c in m.cards {
            var list = s.cards[c.idNumber] ?? []
            if let i = list.firstIndex(where: { $0.dateOfIssue == c.dateOfIssue }) {
                if !insertOnly { list[i] = c }
            } else {
                list.append(c)
            }
            s.cards[c.idNumber] = list.sorted { $0.dateOfIssue < $1.dateOfIssue }
        }
        for a in m.accounts where !(insertOnly && s.accounts[a.idNumber] != nil) { s.accounts[a.idNumber] = a }
        for d in m.events {
            let e = ReadEvent.seal(d, device: device, after: s.heads[device])
            s.events.append(e)
            s.heads[device] = (e.seq, e.hash)
        }
    }

    public func events(after: (device: String, seq: Int)?, limit: Int) async throws -> [ReadEvent] {
        state.withLock { s in
            let sorted = s.events.sorted { ($0.device, $0.seq) < ($1.device, $1.seq) }
            let rest = after.map { a in sorted.filter { ($0.device, $0.seq) > (a.device, a.seq) } } ?? sorted
            return Array(rest.prefix(limit))
        }
    }

    public func recentEvents(idNumber: String, limit: Int) async throws -> [ReadEvent] {
        state.withLock { s in Array(s.events.filter { $0.idNumber == idNumber }.sorted { $0.at > $1.at }.prefix(limit)) }
    }

    /// Test hook: replace a stored event as a tamperer with database access would.
    public func tamper(_ change: (inout [ReadEvent]) -> Void) {
        state.withLock { s in change(&s.events) }
    }

    public func stats(province: String?, today: String) async throws -> RegistryStats {
        state.withLock { s in
            var st = RegistryStats(province: province)
            let eligibleBirth = StatsRules.eligibleBornOnOrBefore(today)
            for c in s.citizens.values where province.map({ c.idNumber.hasPrefix($0) }) ?? true {
                st.citizens += 1
                if c.dateOfBirth <= eligibleBirth { st.eligibleCitizens += 1 }
                let cards = s.cards[c.idNumber] ?? []
                st.cards += cards.count
                for card in cards { st.cardsByStatus[card.status(on: today).rawValue, default: 0] += 1 }
                if cards.contains(where: { $0.status(on: today) == .handedOver }) { st.citizensWithCard += 1 }
                let a = s.accounts[c.idNumber]
                st.accountsByStatus[(a?.status ?? .notRegistered).rawValue, default: 0] += 1
                if let a, a.status == .active, let l = a.level { st.activeByLevel[String(l), default: 0] += 1 }
            }
            let reads = s.events.filter { e in e.kind == .read && (province.map { p in e.idNumber?.hasPrefix(p) ?? false } ?? true) }
            st.stations = StatsRules.groups(reads.compactMap { e in e.station.map { ($0, e.idNumber) } })
            st.teams = StatsRules.groups(reads.compactMap { e in e.team.map { ($0, e.idNumber) } })
            // (group, citizen) pairs folded as the SQL stores fold their rows: the group's size, and
            // its active accounts by the month their activation was observed.
            func series(_ members: [(group: String, id: String)]) -> [ActivationSeries] {
                var citizens = [String: Int](), activations = [(group: String, month: String, count: Int)]()
                for (g, id) in members {
                    citizens[g, default: 0] += 1
                    if let a = s.accounts[id], a.status == .active {
                        activations.append((g, ISODate.vietnamMonth(milliseconds: ISODate.milliseconds(a.observedAt)), 1))
                    }
                }
                return ActivationSeries.build(citizens: citizens, activations: activations)
            }
            st.activationByDistrict = series(s.citizens.values.filter { province.map($0.idNumber.hasPrefix) ?? true }
                .map { (ResidenceDistrict.of($0.placeOfResidence), $0.idNumber) })
            // The citizens each team met: its reads' distinct ID numbers.
            var met = [String: Set<String>]()
            for e in reads { if let t = e.team, let id = e.idNumber { met[t, default: []].insert(id) } }
            st.activationByTeam = series(met.flatMap { t, ids in ids.map { (group: t, id: $0) } })
            return st
        }
    }
}

/// Shared definitions behind the figures, so every store counts alike.
public enum StatsRules {
    /// Citizens are eligible for a card from 14: born on or before this day.
    public static func eligibleBornOnOrBefore(_ today: String) -> String {
        guard let y = Int(today.prefix(4)) else { return today }
        return ISODate.pad(y - 14, 4) + today.dropFirst(4)
    }

    static func groups(_ rows: [(String, String?)]) -> [RegistryStats.Group] {
        var reads = [String: Int](), people = [String: Set<String>]()
        for (name, id) in rows {
            reads[name, default: 0] += 1
            if let id { people[name, default: []].insert(id) }
        }
        return reads.keys.sorted().map { RegistryStats.Group(name: $0, reads: reads[$0] ?? 0, citizens: people[$0]?.count ?? 0) }
    }
}
