import Foundation
import ISO7816
import MRTD
import PCSC

/// One iteration of a station's events: a reader monitor, and one read task per reader at a time.
final class StationRun<Recorder: ReadoutRecorder>: Sendable {
    typealias Event = StationEvent<Recorder.Record>
    let station: CardStation<Recorder>
    let readers: ReaderSelection
    let key: AccessKeySource
    let progress: Bool
    /// The run ends after this many cards with a result (an outcome with a record, or without an
    /// error); a card that errors (pulled out, no key opened it) does not use up the batch. Never
    /// more reads run than results are still wanted, so none is cut short when the batch ends.
    let limit: Int?
    let continuation: AsyncThrowingStream<Event, Error>.Continuation
    /// Handed out once by `start` and not kept: when the consumer drops its iterator, the stream's
    /// last reference goes and `onTermination` stops the run.
    private let pending: Locked<AsyncThrowingStream<Event, Error>?>
    /// The monitor, the latest read task per reader, whether the run has stopped, and (for
    /// `limit`) the reads running, the results so far and the cards waiting for a read to err.
    private typealias State = (monitor: Task<Void, Never>?, reads: [String: Task<Void, Never>], stopped: Bool, running: Int, results: Int,
                               waiting: [PresentedCard])
    private let state = Locked<State>((nil, [:], false, 0, 0, []))

    init(station: CardStation<Recorder>, readers: ReaderSelection, key: AccessKeySource, progress: Bool, limit: Int? = nil) {
        self.station = station
        self.readers = readers
        self.key = key
        self.progress = progress
        self.limit = limit
        let (stream, continuation) = AsyncThrowingStream<Event, Error>.makeStream()
        self.continuation = continuation
        pending = Locked(stream)
    }

    func start() -> AsyncThrowingStream<Event, Error> {
        continuation.onTermination = { [self] _ in stop() }
        if let limit, limit <= 0 {
            finish(nil)
            return pending.withLock { p in
                defer { p = nil }
                return p ?? AsyncThrowingStream { $0.finish() }
            }
        }
        let monitor = Task { [self] in
            do {
                for try await event in ReaderEvents(includeCurrent: true) {
                    if isStopped { break }
                    handle(event)
                }
                finish(nil)
            } catch {
                finish(isStopped || Task.isCancelled ? nil : StationError(classifying: error))
            }
        }
        let stoppedAlready = state.withLock { s -> Bool in
            s.monitor = monitor
            return s.stopped
        }
        if stoppedAlready { monitor.cancel() }
        return pending.withLock { p in
            defer { p = nil }
            return p ?? AsyncThrowingStream { $0.finish() }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func yield(_ event: Event) {
        if !isStopped { continuation.yield(event) }
    }

    private func handle(_ event: ReaderEvent) {
        guard readers.includes(event.reader) else { return }
        switch event {
        case .readerAttached(let r): yield(.readerAdded(r))
        case .readerDetached(let r): yield(.readerRemoved(r))
        case .cardRemoved(let r):
            state.withLock { $0.waiting.removeAll { $0.reader == r } }
            yield(.cardRemoved(reader: r))
        case .cardMute(let r): yield(.cardMute(reader: r))
        case .cardInserted(let r, let atr):
            let card = PresentedCard(reader: r, atr: atr)
            yield(.cardInserted(card))
            startRead(card)
        }
    }

    /// Reads `card` after any read still running in the same reader has ended. When the reads
    /// running could already complete the batch, the card waits (while it stays in its reader)
    /// and is read if one of them errs.
    private func startRead(_ card: PresentedCard) {
        state.withLock { (s: inout State) -> Void in
            guard !s.stopped else { return }
            guard limit.map({ s.results + s.running < $0 }) ?? true else {
                s.waiting.removeAll { $0.reader == card.reader }
                s.waiting.append(card)
                return
            }
            s.running += 1
            s.reads[card.reader] = readTask(card, after: s.reads[card.reader])
        }
    }

    private func readTask(_ card: PresentedCard, after previous: Task<Void, Never>?) -> Task<Void, Never> {
        var report: (@Sendable (ReadProgress) -> Void)?
        if progress { report = { @Sendable [self] (p: ReadProgress) in yield(.progress(card, p)) } }
        let sink = report
        return Task { [self] in
            await previous?.value
            if Task.isCancelled || isStopped { return }
            let outcome = await station.read(card, key: key, progress: sink)
            // A read cut short by stopping is not a result.
            if Task.isCancelled || isStopped { return }
            yield(.outcome(outcome))
            let (last, next) = state.withLock { s -> (Bool, PresentedCard?) in
                s.running -= 1
                if outcome.record != nil || outcome.error == nil { s.results += 1 }
                if let limit, s.results >= limit { return (true, nil) }
                // An error freed a place in the batch: the longest-waiting card takes it.
                return (false, s.waiting.isEmpty ? nil : s.waiting.removeFirst())
            }
            if last { finish(nil) } else if let next { startRead(next) }
        }
    }

    private func finish(_ error: Error?) {
        stop()
        continuation.finish(throwing: error)
    }

    /// Stops the monitor and every read (a recording in progress completes; its outcome is dropped).
    func stop() {
        let tasks = state.withLock { s -> [Task<Void, Never>] in
            s.stopped = true
            return Array(s.reads.values) + (s.monitor.map { [$0] } ?? [])
        }
        for t in tasks { t.cancel() }
    }
}
