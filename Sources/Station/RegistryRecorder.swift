import CCCD
import Registry

/// Links every readout to the registry and records its read event, in one store transaction
/// (`RegistryStore.link`, the path `cccd read --store`, `watch --store` and `confirm` share).
///
/// ```swift
/// let station = CardStation(options: options, recorder: RegistryRecorder(store: store, context: ReadContext(station: "Phủ Lý 1", device: "desk-3")))
/// for try await outcome in station.readouts(readers: .all, key: .can(can)) {
///     print(outcome.record?.alerts ?? [])          // the `registry` object of `cccd read --json`
/// }
/// ```
public struct RegistryRecorder: ReadoutRecorder {
    public let store: any RegistryStore
    /// The station or team, device and operator recorded on each event.
    public let context: ReadContext

    public init(store: any RegistryStore, context: ReadContext) {
        self.store = store
        self.context = context
    }

    public func record(_ readout: CardReadout, context _: ReadoutContext) async throws -> RegistryLink? {
        try await store.link(readout, context: context)
    }
}
