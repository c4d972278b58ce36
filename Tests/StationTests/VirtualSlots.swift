import CardSimulator
import Foundation
import MRTD
import PCSC
import SimulatorHarness

/// Both virtual slots held for a whole test, so no other test process puts a card in a reader the
/// station under test is watching, and cards can come and go in a slot while the lease is held.
enum VirtualSlots {
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!

    /// Both slot leases for the whole of `body`, both readers awaited empty
    /// (`VirtualReader.withEmptySlots`).
    static func withBoth<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await with(slots: [0, 1], body)
    }

    /// Like `withBoth`, for the given slots only.
    static func with<T: Sendable>(slots: [Int], _ body: () async throws -> T) async throws -> T {
        try await VirtualReader.withEmptySlots(slots, body)
    }

    /// Puts `chip` in `slot` (the lease must be held) until `body` ends, then takes it out.
    static func present<T: Sendable>(_ chip: SimulatedChip, slot: Int, _ body: () async throws -> T) async throws -> T {
        let reader = VirtualReader.names[slot]
        try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5))
        let bridge = VPCDBridge(card: chip, slot: slot, beforeAnswer: chip.bridgeHook)
        try bridge.start()
        defer { bridge.stop() }
        _ = try await PCSCContext.waitForCard(reader: reader, timeout: .seconds(5))
        return try await body()
    }

    /// The test PKI's CSCA and CRL, trusted at `now`.
    static func trust(for chip: SimulatedChip) throws -> TrustStore {
        var store = TrustStore()
        try store.importBytes(chip.card.pki.cscaCertificate, name: "csca.der", at: now)
        try store.importBytes(chip.card.pki.crl, name: "csca.crl", at: now)
        return store
    }

    /// Waits until `condition` holds, polling the test's own state (not the card).
    static func until(timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The task's value, or `TimedOut` (the task cancelled) after `timeout`.
    static func value<T: Sendable>(of task: Task<T, Error>, within timeout: Duration) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await task.value }
            group.addTask { try await Task.sleep(for: timeout); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                task.cancel()
                throw TimedOut()
            }
            return value
        }
    }

    struct TimedOut: Error {}
}
