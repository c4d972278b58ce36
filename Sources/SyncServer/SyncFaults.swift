import Synchronization

/// Test-only faults of the sync service (never set by `cccd serve`): a way to lose the
/// answer to a batch the store has already committed, as a cut connection would.
public final class SyncFaults: Sendable {
    private let lose = Mutex(0)

    public init() {}

    /// The next `count` batches are committed and then answered by closing the connection.
    public func loseResponsesAfterCommit(_ count: Int) { lose.withLock { $0 = count } }

    func shouldLoseResponse() -> Bool {
        lose.withLock { n in
            guard n > 0 else { return false }
            n -= 1
            return true
        }
    }
}
