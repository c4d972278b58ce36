import Foundation
import MRTD

/// A one-line progress display on stderr when it is a terminal; silent otherwise.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    func update(_ p: ReadProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(Self.text(p))".utf8))
        shown = true
    }

    /// The phase, and for a file its name and bytes: "Reading file 3 of 7 (DG2): 2048 / 15310 bytes".
    static func text(_ p: ReadProgress) -> String {
        switch p.phase {
        case .readingFile(let n, let m):
            let total = p.fileLength.map { " / \($0)" } ?? ""
            let which = n > 0 ? "file \(n)\(m.map { " of \($0)" } ?? "") (\(p.file))" : "\(p.file)"
            return "Reading \(which): \(p.bytesRead)\(total) bytes"
        default:
            let name = p.phase.description
            return name.prefix(1).uppercased() + name.dropFirst() + "…"
        }
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
