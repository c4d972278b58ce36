import Foundation

/// What a store knows about one citizen: the record, every card, the account.
public struct Snapshot: Sendable, Hashable {
    public var citizen: Citizen?
    public var cards: [Card]
    public var account: VNeIDAccount?

    public init(citizen: Citizen? = nil, cards: [Card] = [], account: VNeIDAccount? = nil) {
        self.citizen = citizen
        self.cards = cards
        self.account = account
    }
}

/// Rows to write in one transaction: upserts keyed by ID number (cards by ID number and date of
/// issue) and events, which the store appends to `device`'s chain in order.
public struct Mutation: Sendable, Hashable {
    public var citizens: [Citizen] = []
    public var cards: [Card] = []
    public var accounts: [VNeIDAccount] = []
    public var events: [EventDraft] = []

    public init(citizens: [Citizen] = [], cards: [Card] = [], accounts: [VNeIDAccount] = [], events: [EventDraft] = []) {
        self.citizens = citizens
        self.cards = cards
        self.accounts = accounts
        self.events = events
    }

    public var isEmpty: Bool { citizens.isEmpty && cards.isEmpty && accounts.isEmpty && events.isEmpty }
}

/// The one storage interface of the domain. Implementations: `RegistrySQLite` (GRDB) and
/// `RegistryPostgres` (postgres-nio); `InMemoryRegistryStore` for tests of the rules.
///
/// Every write goes through `transact`: the store loads the snapshots of `ids`, calls `decide`
/// (a pure, synchronous function of them), and writes its mutation and the device-chained events
/// in one transaction, serialised with other writers of the same ID numbers and device — so a
/// link never reads a snapshot another link is changing, and nothing is half written.
public protocol RegistryStore: Sendable {
    /// Creates and migrates the schema if needed (idempotent).
    func migrate() async throws

    func snapshots(_ ids: [String]) async throws -> [String: Snapshot]

    func transact<T: Sendable>(ids: [String], device: String,
                               _ decide: @Sendable ([String: Snapshot]) throws -> (Mutation, T)) async throws -> T

    /// Insert-only bulk load (seed): rows whose key exists are skipped. Returns citizens inserted.
    func bulkInsert(_ m: Mutation, device: String) async throws -> Int

    /// Events ordered by device then sequence, starting after `after`, at most `limit`.
    func events(after: (device: String, seq: Int)?, limit: Int) async throws -> [ReadEvent]

    /// The latest events that name this citizen, newest first.
    func recentEvents(idNumber: String, limit: Int) async throws -> [ReadEvent]

    func stats(province: String?, today: String) async throws -> RegistryStats

    func close() async throws
}

extension RegistryStore {
    public func snapshot(_ id: String) async throws -> Snapshot {
        try await snapshots([id])[id] ?? Snapshot()
    }

    /// Walks every chain (in pages) and names the first broken link.
    public func verifyAudit(pageSize: Int = 5000) async throws -> AuditVerifier.Report {
        var v = AuditVerifier()
        var after: (device: String, seq: Int)? = nil
        while true {
            let page = try await events(after: after, limit: pageSize)
            for e in page { v.check(e) }
            guard let last = page.last, page.count == pageSize, v.result.firstBreak == nil else { break }
            after = (last.device, last.seq)
        }
        return v.result
    }
}
