import Foundation
import Registry

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

/// Field workflow refusals as CLI errors: a wrong status is a usage error (exit 2, as an illegal
/// transition), every other refusal exit 1.
enum FieldCLI {
    static func error(_ e: FieldWorkflowError) -> CLIError {
        switch e.code {
        case .wrongStatus, .invalidPhone: return .failed(code: e.code.rawValue, message: e.message, exit: .usage)
        default: return .failed(code: e.code.rawValue, message: e.message, exit: .rejected)
        }
    }
}
