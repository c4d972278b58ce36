import ArgumentParser
import Foundation
import Registry
import RegistryPostgres
import RegistrySQLite

/// `--store URL` for every command that touches the registry: `postgres://user[:password]@host[:port]/db`,
/// `sqlite:PATH` or a plain path; default `$CCCD_STORE`, else `~/.local/share/cccd/registry.sqlite`.
struct StoreOption: ParsableArguments {
    @Option(help: "Registry store: postgres://user[:password]@host[:port]/db, sqlite:PATH or a path (default $CCCD_STORE, else ~/.local/share/cccd/registry.sqlite).")
    var store: String?

    @Option(name: .customLong("operator"), help: "Officer ID recorded on the events this command writes.")
    var operatorID: String?

    var resolved: String { store ?? ProcessInfo.processInfo.environment["CCCD_STORE"] ?? SQLiteRegistryStore.defaultPath }

    /// Opens and migrates the store, runs `body`, and closes the store however `body` ends.
    func withStore<T>(_ body: (any RegistryStore) async throws -> T) async throws -> T {
        try await StoreOpener.with(resolved, body)
    }
}

enum StoreOpener {
    /// Opens (and migrates) the store named by `text`, runs `body`, and closes the store on every
    /// path, so no command leaves a connection or a SQLite handle open behind an error.
    static func with<T>(_ text: String, _ body: (any RegistryStore) async throws -> T) async throws -> T {
        let store = try await open(text)
        do {
            let value = try await body(store)
            try? await store.close()
            return value
        } catch {
            try? await store.close()
            throw error
        }
    }

    static func open(_ text: String) async throws -> any RegistryStore {
        let store: any RegistryStore
        do {
            if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
                store = try PostgresRegistryStore(text)
            } else {
                let path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
                guard !path.isEmpty else { throw RegistryError.badStoreURL("sqlite: needs a path") }
                store = try SQLiteRegistryStore(path: (path as NSString).expandingTildeInPath)
            }
            try await store.migrate()
            await SyncStaleWarning.check(store)
        } catch let e as RegistryError {
            throw RegistryCLI.error(e)
        }
        return store
    }

    /// The device whose hash chain this process's events join: `$CCCD_DEVICE`, else the host name.
    static var device: String {
        ProcessInfo.processInfo.environment["CCCD_DEVICE"] ?? ProcessInfo.processInfo.hostName
    }
}

/// Registry failures as CLI errors: illegal transitions and bad URLs are usage errors (exit 2),
/// a missing record exits 1, an unreachable store 4.
enum RegistryCLI {
    static func error(_ e: RegistryError) -> CLIError {
        switch e {
        case .illegalCardTransition, .illegalAccountTransition, .expiryIsDerived, .handOverUnverified, .verifiedOnlyByTheStation, .badStoreURL, .invalidRecord:
            return .failed(code: e.code, message: e.description, exit: .usage)
        case .notFound, .conflict:
            return .failed(code: e.code, message: e.description, exit: .rejected)
        case .store:
            return .failed(code: e.code, message: e.description, exit: .communication)
        }
    }

    /// Runs a registry command body, reporting failures the CLI way.
    static func run(json: Bool, _ body: () async throws -> Void) async throws {
        let output = Output(json: json)
        do {
            try await body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CLIError {
            throw output.fail(e)
        } catch let e as RegistryError {
            throw output.fail(error(e))
        } catch let e as ValidationError {
            throw output.fail(.usage(e.message))
        } catch {
            throw output.fail(.failed(code: "internal", message: "\(error)", exit: .communication))
        }
    }

    static func validID(_ id: String) throws -> String {
        guard id.count == 12, id.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw CLIError.usage("ID number must be exactly 12 digits") }
        return id
    }
}
