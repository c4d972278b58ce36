/// The versioned JSON API between a device and the central sync service (README: "Sync").
///
/// Every request carries `Authorization: Bearer TOKEN` (the token `cccd serve device add`
/// printed); the token names the device. Bodies are JSON (`application/json`).
/// - `GET  /v1/device` → `DeviceInfo` (the device, its team, the centre's head of its chain)
/// - `POST /v1/events` `EventBatch` → `BatchReceipt`, or an error (`SyncErrorBody`)
/// - `GET  /v1/status-updates?after=CURSOR&limit=N` → `StatusUpdatePage`
public enum SyncAPI {
    public static let devicePath = "/v1/device"
    public static let eventsPath = "/v1/events"
    public static let statusUpdatesPath = "/v1/status-updates"

    /// Largest batch the server takes (events); a client sends at most this many.
    public static let maxBatchEvents = 5000
    /// Largest request body the server reads.
    public static let maxBodyBytes = 64 * 1024 * 1024
    /// Largest event payload (canonical JSON text) accepted.
    public static let maxPayloadBytes = 64 * 1024
    /// Largest status-update page.
    public static let maxPageSize = 5000
}
