import ISO7816

/// Announces phases and stamps byte reports with the current phase, remembering the last report
/// so a phase change carries the file and byte counts seen so far. Without a sink it does nothing.
package final class ReadProgressReporter: Sendable {
    private let sink: (@Sendable (ReadProgress) -> Void)?
    private let last: Locked<ReadProgress>

    package init(_ sink: (@Sendable (ReadProgress) -> Void)?) {
        self.sink = sink
        last = Locked(ReadProgress(phase: .accessControl, file: .cardAccess))
    }

    /// Starts `phase` (on `file`, whose bytes start from zero, when given) and reports it.
    package func enter(_ phase: ReadProgress.Phase, file: LDSFileID? = nil) {
        guard let sink else { return }
        let p = last.withLock { p -> ReadProgress in
            p.phase = phase
            if let file {
                p.file = file
                p.bytesRead = 0
                p.fileLength = nil
            }
            return p
        }
        sink(p)
    }

    /// Passes a report on unchanged (its phase already set by an inner reporter), remembering it.
    package func forward(_ p: ReadProgress) {
        guard let sink else { return }
        last.withLock { $0 = p }
        sink(p)
    }

    /// A sink for `FileReader`: its byte reports get the current phase, and `offset` added to
    /// their running total.
    package func fileSink(offset: Int = 0) -> (@Sendable (ReadProgress) -> Void)? {
        guard sink != nil else { return nil }
        return { [self] p in
            let stamped = last.withLock { l -> ReadProgress in
                var p = p
                p.phase = l.phase
                p.totalBytesRead += offset
                l = p
                return p
            }
            sink?(stamped)
        }
    }
}
