import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exclusive use of one virtual reader slot across every process on the machine.
///
/// The two vpcd slots are shared by all test processes (and a developer's `cccd simulate`); an
/// advisory `flock` on `/tmp/cccd-vpcd-slot-N.lock` serialises them. The lock is released when
/// the body ends, however it ends, and by the kernel if the process dies.
public enum VirtualSlotLease {
    public static func lockPath(slot: Int) -> String { "/tmp/cccd-vpcd-slot-\(slot).lock" }

    public static func with<T: Sendable>(slot: Int, _ body: () async throws -> T) async throws -> T {
        let fd = try await acquire(slot: slot)
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return try await body()
    }

    /// Opens and locks; the blocking flock runs on its own thread, not the cooperative pool.
    private static func acquire(slot: Int) async throws -> Int32 {
        let path = lockPath(slot: slot)
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int32, Error>) in
            let t = Thread {
                let fd = open(path, O_CREAT | O_RDWR, 0o666)
                guard fd >= 0 else {
                    c.resume(throwing: CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]))
                    return
                }
                while flock(fd, LOCK_EX) != 0 {
                    if errno != EINTR {
                        close(fd)
                        c.resume(throwing: CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: path]))
                        return
                    }
                }
                c.resume(returning: fd)
            }
            t.start()
        }
    }
}
