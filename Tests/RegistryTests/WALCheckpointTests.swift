import Foundation
import Registry
@testable import RegistrySQLite
import Testing

/// Automatic checkpoints are off on the store's connections (they stalled the commit that crossed
/// the threshold); the background checkpointer must still keep the WAL bounded.
struct WALCheckpointTests {
    @Test func theWALStaysBoundedWithoutCheckpointsInsideCommits() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("registry.sqlite").path
        let store = try SQLiteRegistryStore(path: path, walCheckpointBytes: 256 << 10)
        try await store.migrate()
        let province = try SyntheticProvince(province: "035", citizens: 12_000, vneidActive: 0.5, seed: 5)
        var written = 0
        for start in stride(from: 0, to: 12_000, by: 200) {
            written += try await store.bulkInsert(province.batch(start..<(start + 200), now: Date()), device: "seed")
            // Give the utility queue a moment, as the gaps between cards do at a station.
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(written == 12_000)
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        // A checkpoint may still be running on a loaded machine: wait for the pages to land.
        for _ in 0..<100 where size(path) < size(path + "-wal") { try await Task.sleep(for: .milliseconds(50)) }
        let wal = size(path + "-wal"), db = size(path)
        // Without checkpoints every page would still be in the WAL and the database file nearly
        // empty; with them most pages are in the database and the WAL is reused, not grown.
        #expect(db > 2 << 20, "pages reached the database file: \(db) bytes")
        // Past four times the threshold (1 MB here) the writer truncates it; unchecked it reached 22 MB.
        #expect(wal < 4 << 20, "the WAL stays bounded: \(wal) bytes")
        try await store.close()
        let reopened = try SQLiteRegistryStore(path: path)
        #expect(try await reopened.stats(province: "035", today: "2026-12-01").citizens == 12_000)
        try await reopened.close()
    }
}
