import Foundation
@testable import PCSC
import SimulatorHarness
import Testing

/// Small holes closed by the fail-closed review: the 6Cxx re-send and the slot lock files.
struct HardeningTests {
    @Test func sixCxxResendKeepsTheCommandEncoding() {
        // Short cases: Le replaced (2S, 4S) or appended (1, 3S).
        #expect(PCSCCard.withLe([0x00, 0xB0, 0x00, 0x00], 0x10) == [0x00, 0xB0, 0x00, 0x00, 0x10])
        #expect(PCSCCard.withLe([0x00, 0xB0, 0x00, 0x00, 0x00], 0x10) == [0x00, 0xB0, 0x00, 0x00, 0x10])
        #expect(PCSCCard.withLe([0x00, 0x88, 0x00, 0x00, 0x02, 0xAA, 0xBB], 0x80) == [0x00, 0x88, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x80])
        #expect(PCSCCard.withLe([0x00, 0x88, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x00], 0x80) == [0x00, 0x88, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x80])
        // Extended cases: the two-byte Le is replaced (2E, 4E) or appended (3E); never a one-byte Le.
        #expect(PCSCCard.withLe([0x00, 0xB0, 0x00, 0x00, 0x00, 0x10, 0x00], 0x20) == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x20])
        #expect(PCSCCard.withLe([0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB], 0x00)
            == [0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x01, 0x00])
        #expect(PCSCCard.withLe([0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x02, 0x00], 0x40)
            == [0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x00, 0x40])
        // Malformed: nothing is re-sent.
        #expect(PCSCCard.withLe([0x00, 0xB0], 0x10) == nil)
        #expect(PCSCCard.withLe([0x00, 0x88, 0x00, 0x00, 0x05, 0xAA], 0x10) == nil)
    }

    @Test func slotLockFilesArePrivate() async throws {
        try await VirtualSlotLease.with(slot: 1) {
            var st = stat()
            #expect(lstat(VirtualSlotLease.lockDirectory, &st) == 0)
            #expect(st.st_mode & 0o777 == 0o700)
            #expect(st.st_uid == getuid())
            #expect(lstat(VirtualSlotLease.lockPath(slot: 1), &st) == 0)
            #expect(st.st_mode & 0o777 == 0o600)
        }
    }

    @Test func slotLockRefusesASymlink() async throws {
        // Slot 7 is never a vpcd slot: a planted symlink there must not be followed.
        _ = try? await VirtualSlotLease.with(slot: 1) {}
        let path = VirtualSlotLease.lockPath(slot: 7)
        unlink(path)
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("cccd-planted-\(UUID().uuidString)").path
        #expect(symlink(target, path) == 0)
        defer { unlink(path) }
        await #expect(throws: (any Error).self) { try await VirtualSlotLease.with(slot: 7) {} }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
