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
/// the body ends, however it ends, and by the kernel if the process dies. The lock files live in a
/// directory only this user owns and can write (`/tmp/cccd-vpcd-UID`, mode 0700), are created 0600
/// and never followed through a symlink: another local user cannot pre-create them to block or
/// redirect us.
public enum VirtualSlotLease {
    public struct LockError: Error, CustomStringConvertible {
        public let description: String
    }

    public static var lockDirectory: String { "/tmp/cccd-vpcd-\(getuid())" }
    public static func lockPath(slot: Int) -> String { "\(lockDirectory)/slot-\(slot).lock" }

    /// Creates the lock directory, or checks that the existing one is a real directory owned by
    /// this user and closed to everyone else.
    static func ensureDirectory() throws {
        let dir = lockDirectory
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw LockError(description: "\(dir): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard lstat(dir, &st) == 0 else { throw LockError(description: "\(dir): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else {
            throw LockError(description: "\(dir) is not a directory owned by this user; remove it")
        }
        if st.st_mode & 0o077 != 0 {
            guard chmod(dir, 0o700) == 0 else { throw LockError(description: "\(dir): cannot make it private") }
        }
    }

    public static func with<T: Sendable>(slot: Int, _ body: () async throws -> T) async throws -> T {
        let fd = try await acquire(slot: slot)
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return try await body()
    }

    /// Several slots for the whole of `body`, locked all at once or not at all: never one held
    /// while blocking on another, so two processes wanting the same slots in another order cannot
    /// deadlock. For the first minute the legacy `/tmp/cccd-vpcd-slot-N.lock` files (older
    /// checkouts' tests) are taken too; after ten minutes of busy slots it gives up with an error.
    public static func withAll<T: Sendable>(slots: [Int], _ body: () async throws -> T) async throws -> T {
        try ensureDirectory()
        let current = slots.map { lockPath(slot: $0) }
        let legacy = slots.map { "/tmp/cccd-vpcd-slot-\($0).lock" }
        let start = ContinuousClock.now
        var held: [Int32]
        while true {
            let waited = ContinuousClock.now - start
            if let fds = tryLock(waited < .seconds(60) ? current + legacy : current) {
                held = fds
                break
            }
            if waited > .seconds(600) { throw LockError(description: "virtual slots \(slots) busy for 10 minutes") }
            try await Task.sleep(for: .milliseconds(100))
        }
        defer { for fd in held { flock(fd, LOCK_UN); close(fd) } }
        return try await body()
    }

    /// Locks every path or none, without blocking.
    static func tryLock(_ paths: [String]) -> [Int32]? {
        var fds = [Int32]()
        for path in paths {
            let fd = open(path, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 {
                fds.append(fd)
                continue
            }
            if fd >= 0 { close(fd) }
            for held in fds { flock(held, LOCK_UN); close(held) }
            return nil
        }
        return fds
    }

    /// Opens and locks; the blocking flock runs on its own thread, not the cooperative pool.
    private static func acquire(slot: Int) async throws -> Int32 {
        try ensureDirectory()
        let path = lockPath(slot: slot)
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int32, Error>) in
            let t = Thread {
                let fd = open(path, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0o600)
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
