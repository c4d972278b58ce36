import Foundation

/// What a device's store adds for exactly-once sync (issue #11 §4). Every event the store
/// records enters its outbox in the same transaction; `cccd sync` pushes the outbox, marks an
/// entry only when the centre's receipt names it, and applies the centre's status updates.
public protocol DeviceSyncStore: RegistryStore {
    /// Outbox entries of `device` not yet acknowledged, after sequence `after`, in chain order, at most `limit`.
    func pendingOutbox(device: String, after: Int, limit: Int) async throws -> [ReadEvent]

    /// Marks the named events acknowledged (`stored` or `duplicate` at the centre), in one transaction.
    func acknowledge(_ receipts: [OutboxReceipt], at: Date) async throws

    /// Outbox and pull state (for the stale-sync warning and the pull).
    func syncState() async throws -> DeviceSyncState

    /// Outbox entries not yet acknowledged: of `device`, or of every device if nil.
    func unsyncedCount(device: String?) async throws -> Int

    /// Records a completed sync (the time the stale-sync warning counts from).
    func recordSync(at: Date) async throws

    /// Applies a page of the centre's status updates through the checked rules, without new
    /// chain events, records each outcome and moves the pull cursor to `cursor` — one transaction.
    func applyStatusUpdates(_ updates: [StatusUpdate], cursor: Int64, at: Date) async throws -> [StatusUpdate.Outcome]
}

/// One acknowledged outbox entry.
public struct OutboxReceipt: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable {
        /// Newly stored by this request.
        case stored
        /// Already present at the centre with the same hash (a replay or a lost response).
        case duplicate
    }

    public var id: String
    public var seq: Int
    public var result: Result
    /// The central records did not take the event's change (it is stored all the same).
    public var conflict: SyncConflict?

    public init(id: String, seq: Int, result: Result, conflict: SyncConflict? = nil) {
        self.id = id
        self.seq = seq
        self.result = result
        self.conflict = conflict
    }
}

/// Why the centre stored an event without applying its change (e.g. an illegal transition
/// given the central state). A `code` for programs and one line without personal data.
public struct SyncConflict: Sendable, Hashable, Codable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// A device store's sync bookkeeping.
public struct DeviceSyncState: Sendable, Hashable {
    /// The last sync that completed (push and pull), nil if never.
    public var lastSyncAt: Date?
    /// When the oldest event not yet acknowledged by the centre was recorded (`at`), nil if none.
    public var oldestUnsyncedAt: String?
    /// The status-update cursor: updates after it have not been applied yet.
    public var cursor: Int64

    public init(lastSyncAt: Date?, oldestUnsyncedAt: String?, cursor: Int64) {
        self.lastSyncAt = lastSyncAt
        self.oldestUnsyncedAt = oldestUnsyncedAt
        self.cursor = cursor
    }
}

/// The last event of a device's chain the centre holds.
public struct ChainHead: Sendable, Hashable, Codable {
    public var seq: Int
    public var hash: String

    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}

/// What the central store adds for sync: enrolled devices (tokens stored only as SHA-256),
/// idempotent intake of device chains, and the feed of central status changes.
public protocol CentralSyncStore: RegistryStore {
    /// Enrols a device (or re-enrols a revoked one with a new token). Throws `conflict` if an
    /// enrolled device of that name is not revoked, or if the centre itself records events under that name.
    func addDevice(_ device: SyncDevice, tokenSHA256: String) async throws

    /// Revokes a device's token; false if no such enrolled device.
    func revokeDevice(_ name: String, at: Date) async throws -> Bool

    /// The enrolled, unrevoked device holding this token.
    func device(tokenSHA256: String) async throws -> SyncDevice?

    /// The centre's head of a device's chain.
    func head(device: String) async throws -> ChainHead?

    /// Stores a device's consecutive events (decoded and checked by the caller) in one
    /// transaction: present ones (same device, id and hash) are `duplicate`, new ones are stored
    /// verbatim and projected (`CentralProjection`); a gap, a broken link or a different hash at a
    /// stored sequence throws `IngestRefusal` and stores nothing.
    func ingest(_ events: [ReadEvent], device: String, now: Date) async throws -> IngestResult

    /// Status changes the centre originated, after `cursor`, of citizens of `province` (all if nil).
    func statusUpdates(after cursor: Int64, province: String?, limit: Int) async throws -> [StatusUpdate]
}

/// An enrolled device: its name (the chain it may push), its team and optional province scope.
public struct SyncDevice: Sendable, Hashable, Codable {
    public var name: String
    public var team: String
    public var province: String?

    public init(name: String, team: String, province: String?) {
        self.name = name
        self.team = team
        self.province = province
    }
}

/// What an accepted batch did.
public struct IngestResult: Sendable, Hashable {
    public var head: ChainHead?
    public var receipts: [OutboxReceipt]

    public init(head: ChainHead?, receipts: [OutboxReceipt]) {
        self.head = head
        self.receipts = receipts
    }
}

/// Why a batch was refused whole (nothing of it stored).
public enum IngestRefusal: Error, Sendable, Hashable {
    /// `seq` is not the next one after the centre's head (`expected`).
    case sequenceGap(eventId: String, seq: Int, expected: Int)
    /// `previousHash` is not the hash of the centre's event `seq - 1`.
    case chainBroken(eventId: String, seq: Int)
    /// The centre holds another event (another hash or id) at this sequence.
    case sequenceConflict(eventId: String, seq: Int)
    /// The id is already used by an event of another device or sequence.
    case idConflict(eventId: String, seq: Int)
}

extension Snapshot {
    /// The snapshot after a mutation of this one citizen's rows (events aside) is written.
    public func applying(_ m: Mutation) -> Snapshot {
        var s = self
        if let c = m.citizens.last { s.citizen = c }
        for c in m.cards {
            if let i = s.cards.firstIndex(where: { $0.idNumber == c.idNumber && $0.dateOfIssue == c.dateOfIssue }) { s.cards[i] = c } else { s.cards.append(c) }
        }
        for a in m.accounts { s.account = a }
        return s
    }
}
