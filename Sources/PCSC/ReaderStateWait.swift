internal import CPCSC
import ISO7816

extension PCSCContext {
    /// Blocks (off the cooperative pool) until `reader`'s state satisfies `condition`, and returns
    /// that state. Race-free: SCardGetStatusChange compares against the state we last saw, so a
    /// change between two calls is never missed. Throws `PCSCError.timeout` after `timeout`;
    /// cancelling the task cancels the wait at once.
    public static func waitForState(
        reader: String, timeout: Duration,
        until condition: @escaping @Sendable (ReaderState) -> Bool
    ) async throws -> ReaderState {
        let executor = BlockingExecutor(label: "cccd.pcsc.wait")
        let ctxBox = Locked<(ctx: SCARDCONTEXT?, cancelled: Bool)>((nil, false))
        return try await withTaskCancellationHandler {
            try await executor.run {
                let ctx = try PCSCContext.establishBlocking()
                let go = ctxBox.withLock { b -> Bool in
                    b.ctx = ctx
                    return !b.cancelled
                }
                defer {
                    ctxBox.withLock { $0.ctx = nil }
                    _ = SCardReleaseContext(ctx)
                }
                guard go else { throw PCSCError.cancelled }
                let deadline = ContinuousClock.now + timeout
                var tracker = ReaderStateTracker(readers: [reader])
                try tracker.wait(ctx, timeoutMilliseconds: 0)
                while true {
                    if let s = tracker.states.first, condition(s) { return s }
                    let left = deadline - ContinuousClock.now
                    guard left > .zero else { throw PCSCError.timeout }
                    let ms = UInt32(min(Int64(UInt32.max - 1), left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                    if try tracker.wait(ctx, timeoutMilliseconds: max(1, ms)) == nil { throw PCSCError.timeout }
                }
            }
        } onCancel: {
            ctxBox.withLock { b in
                b.cancelled = true
                if let c = b.ctx { _ = SCardCancel(c) }
            }
        }
    }

    /// Waits until `reader` has no card.
    public static func waitUntilEmpty(reader: String, timeout: Duration) async throws {
        _ = try await waitForState(reader: reader, timeout: timeout) { !$0.cardPresent }
    }
}
