import ArgumentParser
import Foundation
import Registry

/// `cccd registry import FILE...`: JSON Lines (`.jsonl`, `.json`, `.ndjson`) or CSV (`.csv`).
struct RegistryImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import citizens, cards and VNeID statuses from JSON Lines or CSV files.",
        discussion: """
        Each bad row is reported by file and line with the reason; good rows are imported in batched transactions. \
        Re-importing a record updates it and writes an event. Exit 1 if any row was rejected.
        """)

    @Argument(help: "JSON Lines or CSV files (CSV: one record type per file, header = JSON key names).")
    var files: [String]

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print a JSON summary.")
    var json = false

    @Option(help: "Rows per transaction.")
    var batch = 2000

    struct Rejected: Encodable { var file: String; var line: Int; var reason: String }
    struct Summary: Encodable {
        struct Counts: Encodable { var citizens = 0, cards = 0, accounts = 0 }
        var imported = Counts()
        var rejected: [Rejected] = []
    }

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            var summary = Summary()
            let context = ReadContext(device: StoreOpener.device, operator: storeOption.operatorID)
            let progress = StatusLine(enabled: !json)
            try await storeOption.withStore { store in
                for file in files {
                    let rows = try parse(file, into: &summary)
                    var done = 0
                    for start in stride(from: 0, to: rows.count, by: batch) {
                        let chunk = Array(rows[start..<min(rows.count, start + batch)])
                        let outcome = try await store.transact(ids: Array(Set(chunk.map(\.record.idNumber))), device: context.device) { snaps in
                            ImportPlanner.plan(chunk, snapshots: snaps, file: file, context: context, now: Date())
                        }
                        summary.imported.citizens += outcome.citizens
                        summary.imported.cards += outcome.cards
                        summary.imported.accounts += outcome.accounts
                        summary.rejected += outcome.rejected.map { Rejected(file: file, line: $0.line, reason: $0.reason) }
                        done += chunk.count
                        if rows.count > batch { progress.message("importing \((file as NSString).lastPathComponent): \(done)/\(rows.count) rows") }
                    }
                }
            }
            progress.finish()
            // Files in the order given, lines in order within each.
            let order = Dictionary(files.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            summary.rejected.sort { (order[$0.file] ?? 0, $0.line) < (order[$1.file] ?? 0, $1.line) }
            if json {
                Output(json: true).printJSON(summary)
            } else {
                print("imported \(summary.imported.citizens) citizens, \(summary.imported.cards) cards, \(summary.imported.accounts) accounts; \(summary.rejected.count) rejected")
                for r in summary.rejected { FileHandle.standardError.write(Data("\(r.file):\(r.line): \(r.reason)\n".utf8)) }
            }
            if !summary.rejected.isEmpty { throw ExitCode(1) }
        }
    }

    /// Rows of one file; unreadable rows go to `summary.rejected`.
    func parse(_ file: String, into summary: inout Summary) throws -> [ImportPlanner.Row] {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw CLIError.failed(code: "unreadableFile", message: "cannot read \(file) as UTF-8", exit: .usage)
        }
        let now = Date()
        var rows = [ImportPlanner.Row]()
        if file.lowercased().hasSuffix(".csv") {
            let table: [(line: Int, fields: [String])]
            do { table = try ImportFormat.csvRows(text) } catch {
                summary.rejected.append(Rejected(file: file, line: 1, reason: "\(error)"))
                return []
            }
            guard let header = table.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else { return [] }
            let type = header.contains("type") ? nil : ImportFormat.csvType(header: header)
            for (line, fields) in table.dropFirst() {
                guard fields.count == header.count else {
                    summary.rejected.append(Rejected(file: file, line: line, reason: "\(fields.count) columns where the header has \(header.count)"))
                    continue
                }
                var f = [String: JSONValue]()
                for (k, v) in zip(header, fields) { f[k] = v.isEmpty ? .null : .string(v) }
                do { rows.append(.init(line: line, record: try ImportRecord(fields: f, type: type, now: now))) } catch {
                    summary.rejected.append(Rejected(file: file, line: line, reason: "\(error)"))
                }
            }
        } else {
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty { continue }
                do { rows.append(.init(line: i + 1, record: try ImportRecord(fields: try ImportFormat.jsonLine(line), now: now))) } catch {
                    summary.rejected.append(Rejected(file: file, line: i + 1, reason: "\(error)"))
                }
            }
        }
        return rows
    }
}
