import CCCD
import Registry
import Station

/// Links each read to the registry (when the console has one) in one store transaction, as
/// `cccd read --store` does; without a store it records nothing.
struct ConsoleRecorder: ReadoutRecorder {
    let store: (any RegistryStore)?
    let context: ReadContext

    func record(_ readout: CardReadout, context _: ReadoutContext) async throws -> RegistryLink? {
        guard let store else { return nil }
        return try await store.link(readout, context: context)
    }
}
