import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes personal data (a face image) readable by its owner only, never through a symlink an
/// attacker planted at the path.
enum PrivateFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let e = errno
            throw WriteError(description: e == ELOOP ? "it is a symbolic link; refusing to follow it" : String(cString: strerror(e)))
        }
        defer { close(fd) }
        // An existing file keeps its mode on O_CREAT: narrow it.
        guard fchmod(fd, 0o600) == 0 else { throw WriteError(description: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(description: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}
