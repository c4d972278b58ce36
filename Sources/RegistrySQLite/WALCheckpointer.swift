import Foundation
import GRDB

/// Moves WAL checkpoints off the write path.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that link
/// then copies a thousand pages into the database file and waits for an fsync — the rare,
/// tens-of-milliseconds commit that made the link's p99 ten times its median. Here automatic
/// checkpoints are off on the store's connections and a checkpoint (PASSIVE: it never blocks the
/// writer or readers, it copies what it can) runs on a connection of its own on a utility queue
/// once the WAL file passes `threshold` bytes. The WAL stays bounded; commits only append.
/// Closing the store checkpoints and removes the WAL as SQLite always does.
final class WALCheckpointer: @unchecked Sendable {  // mutable state behind `lock`
    private let path: String
    private let threshold: Int
    private let lock = NSLock()
    private var running = false
    private var connection: DatabaseQueue?
    private var closed = false

    init(path: String, threshold: Int = 4 << 20) {
        self.path = path
        self.threshold = threshold
    }

    /// After each commit: a stat of the WAL file; a background checkpoint when it is large.
    /// Returns true when the WAL has grown to four times the threshold anyway: under a sustained
    /// stream of commits (a seed, a sync) a concurrent checkpoint never catches up with the
    /// writer, so SQLite never restarts the WAL; the caller then checkpoints on the writer
    /// connection, between two transactions, and truncates the WAL — rarely.
    @discardableResult
    func didCommit() -> Bool {
        var st = stat()
        guard stat(path + "-wal", &st) == 0, Int(st.st_size) >= threshold else { return false }
        if Int(st.st_size) >= threshold * 4 { return true }
        lock.lock()
        guard !running, !closed else { lock.unlock(); return false }
        running = true
        lock.unlock()
        DispatchQueue.global(qos: .utility).async { [self] in
            checkpoint()
            lock.lock()
            running = false
            lock.unlock()
        }
        return false
    }

    private func checkpoint() {
        do {
            let db = try lock.withLock { () throws -> DatabaseQueue? in
                guard !closed else { return nil }
                if let connection { return connection }
                var config = Configuration()
                config.busyMode = .timeout(5)
                let q = try DatabaseQueue(path: path, configuration: config)
                connection = q
                return q
            }
            try db?.writeWithoutTransaction { try $0.checkpoint(.passive) }
        } catch {
            // A checkpoint that could not run now runs after a later commit; SQLite keeps the WAL
            // consistent either way.
        }
    }

    /// Stops further checkpoints (an in-flight one finishes) and closes the connection.
    func close() {
        let q: DatabaseQueue? = lock.withLock {
            closed = true
            return running ? nil : connection
        }
        try? q?.close()
    }
}
