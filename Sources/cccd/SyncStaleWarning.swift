import Foundation
import Registry

/// The stale-sync warning: a device store whose work has not reached the centre for more than
/// `$CCCD_SYNC_WARN_DAYS` days (default 3; 0 turns it off) says so, in one line on stderr, on
/// every command that opens it. It counts from the last completed sync; a store that never
/// synced counts from its oldest unsynced event (so a store with nothing to send never warns).
enum SyncStaleWarning {
    static let defaultDays = 3.0

    static func check(_ store: any RegistryStore, now: Date = Date()) async {
        guard let device = store as? any DeviceSyncStore else { return }
        let env = ProcessInfo.processInfo.environment["CCCD_SYNC_WARN_DAYS"]
        let days = env.flatMap(Double.init) ?? defaultDays
        guard days > 0, days.isFinite, let state = try? await device.syncState() else { return }
        let since: Date
        if let last = state.lastSyncAt {
            since = last
        } else if let oldest = state.oldestUnsyncedAt.flatMap(parse) {
            since = oldest
        } else {
            return
        }
        let age = now.timeIntervalSince(since) / 86_400
        guard age > days else { return }
        let unsynced = (try? await device.unsyncedCount(device: nil)) ?? 0
        let what = state.lastSyncAt == nil ? "has never synced" : "last synced \(Int(age)) days ago"
        FileHandle.standardError.write(Data(
            "cccd: warning: this device \(what) (more than \(Int(days)) days; CCCD_SYNC_WARN_DAYS); \(unsynced) events not at the centre yet: run cccd sync\n".utf8))
    }

    /// Event times as `ISODate.timestamp` writes them (`2026-12-01T10:00:00.123Z`).
    static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
