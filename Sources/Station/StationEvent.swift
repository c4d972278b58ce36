import CCCD
import MRTD

/// Everything a station reports, in one sequence: the readers panel (readers and cards coming and
/// going), progress of each read, and the outcome of each presented card.
///
/// Per reader, events arrive in order: `cardInserted`, then `progress` for that card (phases in
/// read order), then its `outcome`; `cardRemoved` may come before the outcome when the card is
/// pulled mid-read. Events of different readers interleave.
public enum StationEvent<Record: Sendable>: Sendable {
    case readerAdded(String)
    case readerRemoved(String)
    case cardInserted(PresentedCard)
    case cardRemoved(reader: String)
    /// A card is in the field but does not answer to reset: nothing is read.
    case cardMute(reader: String)
    /// A read moved on (a new phase, or bytes of a file).
    case progress(PresentedCard, ReadProgress)
    /// A presented card was read (or could not be).
    case outcome(ReadOutcome<Record>)
}

/// What became of one presented card.
///
/// Exactly one of these holds:
/// - read and recorded: `readout` set, `error` nil, `record` the recorder's result;
/// - read but not recorded: `readout` set, `error.code == .recordFailed`;
/// - not read: `readout` nil, `error` says why (`accessDenied`, `cardRemoved`, `timeout`, …);
///   `record` is set when the recorder recorded the failure (`ReadoutRecorder.recordFailure`, e.g.
///   a printed card whose chip cannot be read is marked for reprint).
///
/// A readout is not a verdict of "genuine": check `readout.verdict`.
public struct ReadOutcome<Record: Sendable>: Sendable {
    public let card: PresentedCard
    public let readout: CardReadout?
    public let record: Record?
    public let error: StationError?
    /// From the start of the read (key resolution included) to the end of recording.
    public let duration: Duration
    /// With `AccessKeySource.candidates`: the label of the candidate key that opened the card
    /// (set even when the read failed later); nil otherwise.
    public let accessLabel: String?

    public init(card: PresentedCard, readout: CardReadout?, record: Record?, error: StationError?, duration: Duration,
                accessLabel: String? = nil) {
        self.card = card
        self.readout = readout
        self.record = record
        self.error = error
        self.duration = duration
        self.accessLabel = accessLabel
    }

    /// Read, verified and recorded (the verdict may still be `rejected`).
    public var succeeded: Bool { error == nil && readout != nil }

    /// The readout of a card read and recorded; otherwise the error.
    public func get() throws(StationError) -> CardReadout {
        if let error { throw error }
        guard let readout else { throw StationError(code: .internal, message: "no readout and no error") }
        return readout
    }
}
