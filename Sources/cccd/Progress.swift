import Foundation
import MRTD

/// A one-line read progress display on stderr when it is a terminal; silent otherwise.
final class ProgressLine: Sendable {
    private let line: StatusLine

    init(enabled: Bool) { line = StatusLine(enabled: enabled) }

    func update(_ p: ReadProgress) { line.message(Self.text(p)) }

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

    func finish() { line.finish() }
}
