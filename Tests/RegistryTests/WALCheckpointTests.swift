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
        let province = try SyntheticProvince(province: "035", citizens: 3000, vneidActive: 0.5, seed: 5)
        var written = 0
        for start in stride(from: 0, to: 3000, by: 100) {
            let m = province.batch(start..<(start + 100), now: Date())
            written += try await store.bulkInsert(m, device: "seed")
            // Give the utility queue a moment, as the gaps between cards do at a station.
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(written == 3000)
        let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        let db = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        // Without checkpoints every page would still be in the WAL and the database file empty.
        #expect(db > 1 << 20, "pages reached the database file: \(db) bytes")
        #expect(wal < 4 << 20, "the WAL was reused, not grown without bound: \(wal) bytes")
        try await store.close()
        let reopened = try SQLiteRegistryStore(path: path)
        #expect(try await reopened.stats(province: "035", today: "2026-12-01").citizens == 3000)
        try await reopened.close()
    }
}
