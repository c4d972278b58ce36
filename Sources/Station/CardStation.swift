import CCCD
import Foundation
import ISO7816
import MRTD
import PCSC

/// The loop of a station application: wait for cards on one or many readers, read and verify
/// each, hand the readout to a recorder, report the outcome.
///
/// ```swift
/// let station = CardStation(options: StationOptions(trust: trust))
/// for try await outcome in station.readouts(readers: .all, key: .can("012345")) {
///     print(outcome.card.reader, outcome.readout?.verdict.rawValue ?? "not read", outcome.error?.code.rawValue ?? "")
/// }
/// ```
///
/// Readers are independent: each reads its card in its own PC/SC context and transaction, in
/// parallel with the others. A card that cannot be read is an outcome with an error, and the
/// sequence goes on. A reader plugged in later joins when `readers` selects it. Ending the loop
/// (or cancelling its task) stops every read in progress; their outcomes are not reported.
public struct CardStation<Recorder: ReadoutRecorder>: Sendable {
    public typealias Record = Recorder.Record

    public let options: StationOptions
    public let recorder: Recorder

    public init(options: StationOptions, recorder: Recorder) {
        self.options = options
        self.recorder = recorder
    }

    /// Every event — readers, cards, progress, outcomes — for the selected readers, until the
    /// consuming task is cancelled or stops iterating. Cards already in a reader are read first.
    /// Throws (ending the sequence) only when PC/SC itself fails (e.g. `pcscUnavailable`).
    /// `limit`: end after this many cards with a result (a card that errs does not count); never
    /// more reads run than results are still wanted, so the end cuts no read short.
    public func events(readers: ReaderSelection = .all, key: AccessKeySource, limit: Int? = nil) -> StationEvents<Record> {
        StationEvents { StationRun(station: self, readers: readers, key: key, progress: true, limit: limit).start() }
    }

    /// Only the outcomes: one per presented card (up to `limit` results, as `events`).
    public func readouts(readers: ReaderSelection = .all, key: AccessKeySource, limit: Int? = nil) -> StationReadouts<Record> {
        StationReadouts(events: StationEvents { StationRun(station: self, readers: readers, key: key, progress: false, limit: limit).start() })
    }

    /// Reads the card now in `reader` (one PC/SC transaction), verifies and records it. Never
    /// throws: failure is in the outcome.
    public func read(reader: String, atr: [UInt8], key: AccessKeySource,
                     progress: (@Sendable (ReadProgress) -> Void)? = nil) async -> ReadOutcome<Record> {
        await read(PresentedCard(reader: reader, atr: atr), key: key, progress: progress)
    }

    /// Reads `card` in its reader (one PC/SC transaction per key tried), verifies and records it.
    public func read(_ card: PresentedCard, key: AccessKeySource,
                     progress: (@Sendable (ReadProgress) -> Void)? = nil) async -> ReadOutcome<Record> {
        await perform(card, key: key, progress: progress) { options, access in
            let context = try await PCSCContext.establish()
            let channel = try await PCSCChannel.open(try await context.connect(reader: card.reader))
            return try await channel.card.withTransaction { _ in
                try await CardReader(options: options).read(
                    channel: CancellationCheckingChannel(base: channel), key: access, reader: card.reader, atr: card.atr)
            }
        }
    }

    /// Reads a card over any channel (an in-process simulated card, a recorded transcript): the
    /// same verification, timeout and recording as a PC/SC read. The caller owns exclusivity.
    public func read(channel: any CardChannel, card: PresentedCard, key: AccessKeySource,
                     progress: (@Sendable (ReadProgress) -> Void)? = nil) async -> ReadOutcome<Record> {
        await perform(card, key: key, progress: progress) { options, access in
            try await CardReader(options: options).read(
                channel: CancellationCheckingChannel(base: channel), key: access, reader: card.reader, atr: card.atr)
        }
    }

    /// Read within the timeout (trying each candidate key once), then record (never cancelled midway).
    func perform(_ card: PresentedCard, key: AccessKeySource, progress: (@Sendable (ReadProgress) -> Void)?,
                 read: @escaping @Sendable (CardReader.Options, AccessKey) async throws -> CardReadout) async -> ReadOutcome<Record> {
        let start = ContinuousClock.now
        let startedAt = Date()
        let reporter = ReadProgressReporter(progress)
        let forward = progress != nil
        let stationOptions = options
        // The label of the candidate that got past access control (the card it opened).
        let opened = Locked<String?>(nil)
        let readout: CardReadout
        do {
            readout = try await withDeadline(stationOptions.readTimeout) {
                let candidates = try await key.candidates(for: card)
                for (i, candidate) in candidates.enumerated() {
                    let passed = Locked(false)
                    let sink: @Sendable (ReadProgress) -> Void = { p in
                        if Self.isPastAccess(p.phase) { passed.withLock { $0 = true } }
                        if forward { reporter.forward(p) }
                    }
                    do {
                        let r = try await read(stationOptions.cardReaderOptions(progress: sink), candidate.key)
                        opened.withLock { $0 = candidate.label }
                        return r
                    } catch {
                        let pastAccess = passed.current
                        if pastAccess { opened.withLock { $0 = candidate.label } }
                        // A wrong key among several: the next one (one attempt each).
                        guard candidates.count > 1, !pastAccess, StationError(classifying: error).code == .accessDenied else { throw error }
                        if i == candidates.count - 1 {
                            throw StationError(code: .accessDenied,
                                               message: "none of the \(candidates.count) candidate keys opened the card in \(card.reader) (one attempt each)")
                        }
                    }
                }
                throw StationError(code: .noAccessKey, message: "no access key for the card in \(card.reader)")
            }
        } catch {
            let e = StationError(classifying: error)
            let label = opened.current
            let failed = ReadOutcome<Record>(card: card, readout: nil, record: nil, error: e, duration: .now - start, accessLabel: label)
            guard Recorder.self != NoRecorder.self, e.code != .cancelled else { return failed }
            let context = ReadoutContext(card: card, startedAt: startedAt, duration: .now - start, accessLabel: label)
            let recorder = self.recorder
            let recording = Task { try await recorder.recordFailure(e, context: context) }
            do {
                guard let record = try await recording.value else { return failed }
                return ReadOutcome(card: card, readout: nil, record: record, error: e, duration: .now - start, accessLabel: label)
            } catch {
                let r = StationError(code: .recordFailed, message: "\(e.message); the failure could not be recorded: \(StationError(classifying: error).message)")
                return ReadOutcome(card: card, readout: nil, record: nil, error: r, duration: .now - start, accessLabel: label)
            }
        }
        let label = opened.current
        if Recorder.self == NoRecorder.self {
            return ReadOutcome(card: card, readout: readout, record: nil, error: nil, duration: .now - start, accessLabel: label)
        }
        reporter.enter(.linking)
        let context = ReadoutContext(card: card, startedAt: startedAt, duration: .now - start, accessLabel: label)
        let recorder = self.recorder
        // An unstructured task: cancelling the read does not cut a recording in half.
        let recording = Task { try await recorder.record(readout, context: context) }
        do {
            let record = try await recording.value
            return ReadOutcome(card: card, readout: readout, record: record, error: nil, duration: .now - start, accessLabel: label)
        } catch {
            let e = StationError(code: .recordFailed, message: "the read could not be recorded: \(StationError(classifying: error).message)")
            return ReadOutcome(card: card, readout: readout, record: nil, error: e, duration: .now - start, accessLabel: label)
        }
    }

    /// Whether a read in `phase` has passed access control (the key opened the card).
    static func isPastAccess(_ phase: ReadProgress.Phase) -> Bool {
        switch phase {
        case .accessControl: return false
        case .readingFile(let n, _): return n >= 1
        case .chipAuthentication, .passiveAuthentication, .activeAuthentication, .linking: return true
        }
    }
}

extension CardStation where Recorder == NoRecorder {
    /// A station that reads and verifies without recording.
    public init(options: StationOptions) {
        self.init(options: options, recorder: NoRecorder())
    }
}
