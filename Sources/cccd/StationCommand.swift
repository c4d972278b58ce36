import ArgumentParser
import Registry

extension CCCD {
    /// `cccd station`: an issuing station's steps after printing.
    struct StationGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station",
            abstract: "Verify freshly printed cards and hand them over.",
            subcommands: [StationVerifyPrinted.self, StationHandOver.self])
    }
}

/// A store that also serves the field workflows (every store of this package does).
enum FieldStore {
    static func with<T>(_ url: String, _ body: (any FieldWorkflowStore) async throws -> T) async throws -> T {
        try await StoreOpener.with(url) { store in
            guard let field = store as? any FieldWorkflowStore else {
                throw CLIError.failed(code: "registryUnavailable", message: "this store does not support the field workflows", exit: .communication)
            }
            return try await body(field)
        }
    }
}
