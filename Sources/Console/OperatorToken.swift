import Foundation
import MRTDCrypto

/// The operator token (`cccd console token`): 32 random bytes, shown once as hex; only its SHA-256
/// is kept, in a file readable by its owner alone, so the file does not open the console.
public enum OperatorToken {
    /// `$XDG_DATA_HOME/cccd/console-token.sha256`, else `~/.local/share/cccd/console-token.sha256`.
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("cccd/console-token.sha256")
    }

    /// Draws a new token, stores its hash at `path` (mode 0600, replacing any earlier token) and
    /// returns the token.
    public static func create(at path: String, random: any RandomSource = SystemRandom()) throws -> String {
        let token = lowerHex(random.bytes(32))
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let tmp = path + ".tmp"
            try? FileManager.default.removeItem(atPath: tmp)
            guard FileManager.default.createFile(atPath: tmp, contents: Data((lowerHex(hash(token)) + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw ConsoleError.token("cannot write \(tmp)")
            }
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: tmp, toPath: path)
        } catch let e as ConsoleError {
            throw e
        } catch {
            throw ConsoleError.token("cannot store the token hash in \(path): \(error.localizedDescription)")
        }
        return token
    }

    /// The stored hash, or nil when no token was created.
    public static func loadHash(from path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConsoleError.token("cannot read \(path)")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count == 64, let bytes = parseHex(hex) else { throw ConsoleError.token("\(path) does not hold a token hash") }
        return bytes
    }

    public static func hash(_ token: String) -> [UInt8] { HashAlgorithm.sha256.hash(Array(token.utf8)) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    static func lowerHex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func parseHex(_ s: String) -> [UInt8]? {
        var out = [UInt8]()
        var chars = s.makeIterator()
        while let a = chars.next() {
            guard let b = chars.next(), let hi = a.hexDigitValue, let lo = b.hexDigitValue else { return nil }
            out.append(UInt8(hi * 16 + lo))
        }
        return out
    }
}
