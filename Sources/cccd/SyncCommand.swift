import ArgumentParser
import Foundation
import Registry
import SyncClient
import SyncProtocol

/// `cccd sync --to URL --token T [--store team.sqlite] [--batch N] [--json]`: push this device's
/// outbox to the centre, pull the centre's status updates. Exit 0 done; 4 the service or the
/// store unreachable (run it again: nothing is lost or doubled); 1 refused (chain, token), with
/// the centre's code; 2 usage.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push this device's recorded events to the centre exactly once; pull status updates.",
        discussion: """
            Resumable: a sync cut at any point is completed by the next one. Give the token with --token-file or \
            $CCCD_SYNC_TOKEN: --token shows it to every user of the machine in the process list.
            """)

    @Option(help: "The sync service, e.g. https://centre.example:8443 (http:// only for a loopback address).")
    var to: String

    @Option(help: "The device token from `cccd serve device add` (visible in the process list: prefer --token-file or $CCCD_SYNC_TOKEN).")
    var token: String?

    @Option(name: .customLong("token-file"), help: "A file holding the device token (keep it 0600).")
    var tokenFile: String?

    @Option(name: .customLong("ca-cert"), help: "PEM file of the certificate authority to trust for https.")
    var caCert: String?

    @Option(help: "Events per batch (1–5000).")
    var batch = 1000

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print a JSON summary {device, pushed, duplicates, conflicts, pulled, remaining}.")
    var json = false

    func validate() throws {
        guard (1...SyncAPI.maxBatchEvents).contains(batch) else { throw ValidationError("--batch must be 1…\(SyncAPI.maxBatchEvents)") }
        if token != nil && tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
    }

    /// --token (with a warning: it is in the process list), --token-file, or $CCCD_SYNC_TOKEN.
    func resolvedToken() throws -> String {
        if let token {
            FileHandle.standardError.write(Data("cccd: warning: --token is visible to other users in the process list; use --token-file or $CCCD_SYNC_TOKEN\n".utf8))
            return token
        }
        if let tokenFile {
            // A token is one short line; anything bigger is not a token file.
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: tokenFile),
                  let size = attributes[.size] as? Int, size <= 4096,
                  let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CLIError.usage("cannot read the token file \(tokenFile) (a readable file of at most 4 KB)")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, !text.contains(where: \.isNewline) else { throw CLIError.usage("the token file \(tokenFile) must hold one token") }
            return text
        }
        guard let env = ProcessInfo.processInfo.environment["CCCD_SYNC_TOKEN"] else {
            throw CLIError.usage("give --token-file, set CCCD_SYNC_TOKEN, or give --token")
        }
        return env
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let token = try resolvedToken()
            let client: SyncClient
            do throws(SyncClientError) { client = try SyncClient(url: to, token: token, caFile: caCert) } catch { throw Self.cliError(error) }
            let progress = StatusLine(enabled: !json)
            do {
                let (summary, others) = try await storeOption.withStore { store in
                    guard let device = store as? any DeviceSyncStore else {
                        throw CLIError.usage("cccd sync pushes a device store (SQLite), not \(storeOption.resolved.hasPrefix("postgres") ? "PostgreSQL" : "this store")")
                    }
                    let summary = try await SyncRunner(store: device, client: client, batchSize: batch).run { s in
                        progress.message("syncing \(s.device): \(s.pushed + s.duplicates) events pushed, \(s.pulled) updates pulled")
                    }
                    return (summary, try await device.unsyncedCount(device: nil) - summary.remaining)
                }
                progress.finish()
                await client.shutdown()
                if others > 0 {
                    FileHandle.standardError.write(Data("cccd: note: \(others) recorded events belong to other device names and are not pushed with this token\n".utf8))
                }
                if json { Output(json: true).printJSON(summary) } else {
                    print("synced \(summary.device): \(summary.pushed) pushed, \(summary.duplicates) already at the centre, "
                          + "\(summary.conflicts) with conflicts, \(summary.pulled) status updates pulled, \(summary.remaining) remaining")
                }
            } catch let e as SyncClientError {
                progress.finish()
                await client.shutdown()
                throw Self.cliError(e)
            } catch {
                progress.finish()
                await client.shutdown()
                throw error
            }
        }
    }

    static func cliError(_ e: SyncClientError) -> CLIError {
        switch e {
        case .usage(let m): return .usage(m)
        case .unavailable(let m), .badResponse(let m): return .failed(code: e.code, message: m, exit: .communication)
        case .refused: return .failed(code: e.code, message: e.description, exit: .rejected)
        }
    }
}
