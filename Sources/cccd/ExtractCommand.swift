import ArgumentParser
import Foundation
import Registry
import RegistrySQLite

/// `cccd registry extract`: what a mobile team takes on the road, nothing more.
struct RegistryExtract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Copy the citizens, cards and VNeID accounts of a province (optionally a district) into a new SQLite store for a mobile team.",
        discussion: """
        The extract holds the citizens whose ID number starts with the province code, their cards (status, dates, chip \
        evidence — never the CAN: a team reads cards with the citizen's own CAN or MRZ, and a CAN is a secret that has \
        no business on a laptop travelling the country) and their accounts; no events (the team's device starts its own \
        chain). Its store_meta table records kind=extract, origin (the source store, without password), filter, \
        extractedAt and the counts. The citizen record holds no district code: --district keeps the citizens whose \
        place of residence has that exact comma-separated part (e.g. "Huyện Thanh Liêm"; case and Unicode form ignored). \
        The file is written beside --out and renamed into place only when complete; an existing file is refused \
        unless --force. Exit codes: 0 written, 2 usage (or --out exists), 4 store unavailable.
        """)

    @Option(help: "The province code: the first 3 digits of the ID number (e.g. 035 for Hà Nam).")
    var province: String

    @Option(help: "Keep only citizens whose place of residence has this part (e.g. \"Huyện Thanh Liêm\").")
    var district: String?

    @Option(help: "The SQLite file to write.")
    var out: String

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard province.count == 3, province.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError("--province must be 3 digits") }
        if let district, TeamExtract.normalized(district).isEmpty { throw ValidationError("--district must not be empty") }
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let target = (out as NSString).expandingTildeInPath
            if FileManager.default.fileExists(atPath: target) && !force {
                throw CLIError.usage("\(out) exists: give --force to replace it")
            }
            var filter = "province=\(province)"
            if let district { filter += ";district=\(district)" }
            let summary = try await FieldStore.with(storeOption.resolved) { source in
                try await TeamExtract(province: province, district: district, filter: filter,
                                      origin: TeamExtract.redacted(storeOption.resolved)).write(from: source, to: target)
            }
            if json {
                Output(json: true).printJSON(summary)
            } else {
                print("\(out): \(summary.citizens) citizens, \(summary.cards) cards, \(summary.accounts) accounts (\(filter), taken \(summary.extractedAt))")
            }
        }
    }
}

/// `{"out", "filter", "extractedAt", "citizens", "cards", "accounts"}`.
struct ExtractSummary: Encodable {
    var out: String
    var filter: String
    var extractedAt: String
    var citizens: Int
    var cards: Int
    var accounts: Int
}

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
