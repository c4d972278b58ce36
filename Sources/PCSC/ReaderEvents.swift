internal import CPCSC
import Foundation
import ISO7816

/// Reader attach/detach and card insert/remove/mute events as an `AsyncSequence`.
///
/// Each iteration starts a monitor on its own thread with its own PC/SC context, blocked in
/// SCardGetStatusChange (no polling, no sleeps). Cancelling the consuming task, or dropping the
/// iterator, calls SCardCancel so the wait returns at once and the context is released.
///
/// With `includeCurrent`, the sequence starts with the present situation: `readerAttached` for every
/// reader, then `cardInserted`/`cardMute` for cards already there.
public struct ReaderEvents: AsyncSequence, Sendable {
    public typealias Element = ReaderEvent
    public let includeCurrent: Bool

    public init(includeCurrent: Bool = true) { self.includeCurrent = includeCurrent }

    public func makeAsyncIterator() -> Iterator {
        let (stream, monitor) = start()
        return Iterator(events: stream.makeAsyncIterator(), monitor: monitor)
    }

    /// The events as a stream, for callers that want to pass it around.
    public func stream() -> AsyncThrowingStream<ReaderEvent, Error> { start().0 }

    private func start() -> (AsyncThrowingStream<ReaderEvent, Error>, ReaderMonitor) {
        let (stream, continuation) = AsyncThrowingStream<ReaderEvent, Error>.makeStream()
        let monitor = ReaderMonitor(includeCurrent: includeCurrent, continuation: continuation)
        continuation.onTermination = { _ in monitor.stop() }
        monitor.start()
        return (stream, monitor)
    }

    /// Ends only once the monitor thread has released its PC/SC context: a caller that stops
    /// iterating and then exits the process never races that thread inside pcsc-lite.
    public struct Iterator: AsyncIteratorProtocol {
        var events: AsyncThrowingStream<ReaderEvent, Error>.Iterator
        let monitor: ReaderMonitor

        public mutating func next() async throws -> ReaderEvent? {
            do {
                if let e = try await events.next() { return e }
            } catch {
                monitor.stop()
                await monitor.joined()
                throw error
            }
            monitor.stop()
            await monitor.joined()
            return nil
        }
    }
}

/// The thread behind `ReaderEvents`.
public final class ReaderMonitor: @unchecked Sendable {
    private let includeCurrent: Bool
    private let continuation: AsyncThrowingStream<ReaderEvent, Error>.Continuation
    /// The context handle once established, so `stop` can cancel the wait; `stopped` guards the race
    /// between establishing it and a stop that arrives first.
    private let state = Locked<(context: SCARDCONTEXT?, stopped: Bool)>((nil, false))
    /// Whether the thread has ended, and who waits for it to.
    private let exit = Locked<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Returns once the monitor thread has ended (its context released).
    func joined() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = exit.withLock { e -> Bool in
                if !e.done { e.waiters.append(c) }
                return e.done
            }
            if done { c.resume() }
        }
    }

    private func markEnded() {
        let waiters = exit.withLock { e -> [CheckedContinuation<Void, Never>] in
            e.done = true
            defer { e.waiters = [] }
            return e.waiters
        }
        waiters.forEach { $0.resume() }
    }

    init(includeCurrent: Bool, continuation: AsyncThrowingStream<ReaderEvent, Error>.Continuation) {
        self.includeCurrent = includeCurrent
        self.continuation = continuation
    }

    func start() {
        let thread = Thread { [self] in
            run()
            markEnded()
        }
        thread.name = "cccd.pcsc.events"
        thread.start()
    }

    func stop() {
        state.withLock { s in
            s.stopped = true
            if let ctx = s.context { _ = SCardCancel(ctx) }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func run() {
        var ctx: SCARDCONTEXT = 0
        do {
            ctx = try PCSCContext.establishBlocking()
        } catch {
            continuation.finish(throwing: error)
            return
        }
        let proceed = state.withLock { s -> Bool in
            if s.stopped { return false }
            s.context = ctx
            return true
        }
        defer {
            state.withLock { $0.context = nil }
            _ = SCardReleaseContext(ctx)
        }
        guard proceed else { continuation.finish(); return }

        do {
            try loop(ctx)
            continuation.finish()
        } catch PCSCError.cancelled {
            continuation.finish()
        } catch {
            if isStopped { continuation.finish() } else { continuation.finish(throwing: error) }
        }
    }

    private func loop(_ ctx: SCARDCONTEXT) throws {
        var tracker = ReaderStateTracker(readers: try PCSCContext.listReaders(ctx), watchPnP: true)
        var known: [String: ReaderState] = [:]
        // With no reader yet there is no "current situation" to report; attach events follow.
        var first = !tracker.readers.isEmpty
        while !isStopped {
            let change: ReaderStateTracker.Change?
            do {
                change = try tracker.wait(ctx, timeoutMilliseconds: nil)
            } catch PCSCError.unknownReader, PCSCError.readerUnavailable {
                // A reader vanished between listing and waiting: list again.
                tracker.setReaders(try PCSCContext.listReaders(ctx))
                continue
            }
            guard let change else { continue }
            if change.readersChanged {
                let names = try PCSCContext.listReaders(ctx)
                let old = Set(tracker.readers)
                for gone in tracker.readers where !names.contains(gone) {
                    if let s = known[gone], s.cardPresent { emit(.cardRemoved(reader: gone)) }
                    known[gone] = nil
                    emit(.readerDetached(gone))
                }
                for added in names where !old.contains(added) { emit(.readerAttached(added)) }
                tracker.setReaders(names)
                // The new readers' states arrive with the next wait (current state is UNAWARE).
            }
            if first {
                first = false
                if includeCurrent {
                    for s in tracker.states { emit(.readerAttached(s.reader)) }
                    for s in tracker.states {
                        for e in ReaderEvent.transitions(from: nil, to: s) { emit(e) }
                    }
                }
                for s in tracker.states { known[s.reader] = s }
                continue
            }
            for s in tracker.states {
                for e in ReaderEvent.transitions(from: known[s.reader], to: s) { emit(e) }
                known[s.reader] = s
            }
        }
    }

    private func emit(_ event: ReaderEvent) {
        if !isStopped { continuation.yield(event) }
    }
}
