import Foundation
import Registry
import RegistrySQLite

/// Copies a filtered part of a store into a new SQLite file, in pages, written aside and renamed
/// into place only when complete (nothing half-written at `--out`).
struct TeamExtract {
    var province: String
    var district: String?
    var filter: String
    var origin: String
    var pageSize = 1000

    func write(from source: any FieldWorkflowStore, to target: String) async throws -> ExtractSummary {
        let dir = (target as NSString).deletingLastPathComponent
        let work = (dir.isEmpty ? "." : dir) + "/.cccd-extract-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        let path = work + "/extract.sqlite"
        let dest = try SQLiteRegistryStore(path: path)
        var counts = (citizens: 0, cards: 0, accounts: 0)
        let now = Date()
        do {
            try await dest.migrate()
            var after: String?
            while true {
                let ids = try await source.citizenIDs(prefix: province, after: after, limit: pageSize)
                guard let last = ids.last else { break }
                after = last
                let snaps = try await source.snapshots(ids)
                var m = Mutation()
                for id in ids {
                    guard let s = snaps[id], let citizen = s.citizen, keeps(citizen) else { continue }
                    m.citizens.append(citizen)
                    m.cards += s.cards.map { card in
                        var c = card
                        c.can = nil
                        return c
                    }
                    if let a = s.account { m.accounts.append(a) }
                }
                if !m.isEmpty { _ = try await dest.bulkInsert(m, device: "extract") }
                counts.citizens += m.citizens.count
                counts.cards += m.cards.count
                counts.accounts += m.accounts.count
                if ids.count < pageSize { break }
            }
            let at = ISODate.timestamp(now)
            try await dest.setMetadata([
                StoreMetaKey.kind: "extract", StoreMetaKey.origin: origin, StoreMetaKey.filter: filter, StoreMetaKey.extractedAt: at,
                StoreMetaKey.citizens: String(counts.citizens), StoreMetaKey.cards: String(counts.cards), StoreMetaKey.accounts: String(counts.accounts),
            ])
            try await dest.close()
        } catch {
            try? await dest.close()
            throw error
        }
        // A whole province's personal data: owner-only before it is visible under its name.
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            guard chmod(file, 0o600) == 0 else {
                throw CLIError.failed(code: "extractNotWritten", message: "cannot restrict \(file): \(String(cString: strerror(errno)))", exit: .communication)
            }
        }
        // Closing the last connection checkpoints the WAL; anything left beside the file goes with it.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: target + suffix) {
            try FileManager.default.removeItem(atPath: target + suffix)
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.moveItem(atPath: path + suffix, toPath: target + suffix)
        }
        // rename(2) replaces an existing file (--force) atomically: --out is the old file or the whole new one.
        guard rename(path, target) == 0 else {
            throw CLIError.failed(code: "extractNotWritten", message: "cannot write \(target): \(String(cString: strerror(errno)))", exit: .communication)
        }
        return ExtractSummary(out: target, filter: filter, extractedAt: ISODate.timestamp(now), citizens: counts.citizens, cards: counts.cards,
                              accounts: counts.accounts)
    }

    func keeps(_ c: Citizen) -> Bool {
        guard let district else { return true }
        let wanted = Self.normalized(district)
        return (c.placeOfResidence ?? "").split(separator: ",").contains { Self.normalized(String($0)) == wanted }
    }

    static func normalized(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The store named without its password (`postgres://user:secret@host/db` → `postgres://user@host/db`).
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return url }
        let userInfo = url[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + String(url[at.lowerBound...])
    }
}
