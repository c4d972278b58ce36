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
        let total = p.fileLength.map { " / \($0)" } ?? ""
        FileHandle.standardError.write(Data("\r\u{1B}[KReading \(p.file): \(p.bytesRead)\(total) bytes".utf8))
        shown = true
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
