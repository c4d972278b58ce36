import CardSimulator
import Foundation
import MRTD
import PCSC
import SimulatorHarness

/// Both virtual slots held for a whole test, so no other test process puts a card in a reader the
/// station under test is watching, and cards can come and go in a slot while the lease is held.
enum VirtualSlots {
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!

    /// pcscd notices a vpcd card leaving only at its next presence poll, so both readers are first
    /// awaited empty: a station started earlier would read the previous user's card.
    static func withBoth<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await VirtualSlotLease.with(slot: 0) {
            try await VirtualSlotLease.with(slot: 1) {
                let legacy = await legacyLocks()
                defer { for fd in legacy { flock(fd, LOCK_UN); close(fd) } }
                for reader in VirtualReader.names { try await PCSCContext.waitUntilEmpty(reader: reader, timeout: .seconds(5)) }
                return try await body()
            }
        }
    }

    /// Older checkouts lease the slots at `/tmp/cccd-vpcd-slot-N.lock`; holding those too keeps
    /// their test processes out of the readers while a station watches both. Best effort and never
    /// blocking: both or none, tried for a few seconds (a process holding one and waiting for the
    /// other must not deadlock with us).
    static func legacyLocks() async -> [Int32] {
        for _ in 0..<50 {
            var fds = [Int32]()
            for slot in 0..<2 {
                let fd = open("/tmp/cccd-vpcd-slot-\(slot).lock", O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { continue }
                if flock(fd, LOCK_EX | LOCK_NB) == 0 { fds.append(fd) } else { close(fd) }
            }
            if fds.count == 2 { return fds }
            for fd in fds { flock(fd, LOCK_UN); close(fd) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return []
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

    struct TimedOut: Error {}
}
