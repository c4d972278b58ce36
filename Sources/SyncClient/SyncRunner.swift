import Foundation
import Registry
import SyncProtocol

/// One `cccd sync`: push the device's outbox in batches (an entry is marked only when a receipt
/// names it), then pull the centre's status updates after the stored cursor and apply them.
/// Every step is idempotent, so a run cut anywhere — before a batch, after the centre committed
/// it but before the receipt arrived, in the middle of a pull — is completed by the next run:
/// the centre answers `duplicate` for what it already holds, and the cursor only moves with
/// the updates it covers, in the same transaction.
public struct SyncRunner: Sendable {
    public struct Summary: Sendable, Hashable, Encodable {
        public var device: String
        public var pushed = 0
        public var duplicates = 0
        /// Events stored at the centre whose change the central records did not take.
        public var conflicts = 0
        public var pulled = 0
        /// This device's outbox entries still unacknowledged.
        public var remaining = 0
    }

    public let store: any DeviceSyncStore
    public let client: SyncClient
    public let batchSize: Int
    public let pageSize: Int

    public init(store: any DeviceSyncStore, client: SyncClient, batchSize: Int = 1000, pageSize: Int = 1000) {
        self.store = store
        self.client = client
        self.batchSize = min(max(1, batchSize), SyncAPI.maxBatchEvents)
        self.pageSize = min(max(1, pageSize), SyncAPI.maxPageSize)
    }

    public func run(progress: @Sendable (Summary) -> Void = { _ in }) async throws -> Summary {
        let info = try await client.deviceInfo()
        var s = Summary(device: info.device)
        // The next batch is read from the store while the current one is on the wire.
        var pending = try await store.pendingOutbox(device: info.device, after: 0, limit: batchSize)
        while let last = pending.last {
            async let following = store.pendingOutbox(device: info.device, after: last.seq, limit: batchSize)
            let receipt = try await client.push(EventBatch(device: info.device, events: pending.map(WireEvent.init)))
            let sent = Dictionary(pending.map { ($0.id, $0.seq) }, uniquingKeysWith: { a, _ in a })
            let named = receipt.receipts.filter { sent[$0.id] == $0.seq }
            guard named.count == pending.count, Set(named.map(\.id)).count == pending.count else {
                throw SyncClientError.badResponse("the receipt does not name every event of the batch")
            }
            try await store.acknowledge(named, at: Date())
            s.pushed += named.filter { $0.result == .stored }.count
            s.duplicates += named.filter { $0.result == .duplicate }.count
            s.conflicts += named.filter { $0.conflict != nil }.count
            progress(s)
            pending = try await following
        }
        var cursor = try await store.syncState().cursor
        while true {
            let page = try await client.statusUpdates(after: cursor, limit: pageSize)
            guard page.cursor >= cursor else { throw SyncClientError.badResponse("the status-update cursor went backwards") }
            if page.updates.isEmpty && page.cursor == cursor { break }
            _ = try await store.applyStatusUpdates(page.updates, cursor: page.cursor, at: Date())
            s.pulled += page.updates.count
            cursor = page.cursor
            progress(s)
            if !page.more { break }
        }
        try await store.recordSync(at: Date())
        s.remaining = try await store.unsyncedCount(device: info.device)
        return s
    }
}
