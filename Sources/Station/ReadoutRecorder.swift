import CCCD
import Foundation

/// What a recorder learns about a read besides the readout itself.
public struct ReadoutContext: Sendable, Hashable {
    /// The card and reader.
    public let card: PresentedCard
    /// When reading started (after the card was presented and its key resolved).
    public let startedAt: Date
    /// How long reading and verifying took.
    public let duration: Duration
    /// With `AccessKeySource.candidates`: the label of the candidate key that opened the card.
    public let accessLabel: String?

    public init(card: PresentedCard, startedAt: Date, duration: Duration, accessLabel: String? = nil) {
        self.card = card
        self.startedAt = startedAt
        self.duration = duration
        self.accessLabel = accessLabel
    }
}

/// What happens after a card was read and verified: link it to records, store an event.
///
/// The station calls `record` once for every read that produced a `CardReadout` — whatever its
/// verdict (a rejected card is evidence too) — and never for a read that failed. The result is
/// carried in `ReadOutcome.record`. The call is never cancelled midway: when the station stops
/// while a readout is being recorded, recording completes (a store writes a whole event or none)
/// and only the outcome is dropped. A thrown error becomes a `recordFailed` outcome that keeps
/// the readout.
///
/// `RegistryRecorder` links each readout to the registry in one store transaction;
/// `PrintedCardRecorder` checks printed cards against their issuance records.
public protocol ReadoutRecorder: Sendable {
    /// What recording a readout yields (e.g. the registry's link with its event id).
    associatedtype Record: Sendable
    func record(_ readout: CardReadout, context: ReadoutContext) async throws -> Record?

    /// Called once for a presented card that could not be read (never for a read the station
    /// stopped); the default records nothing. A recorder that knows which card it was
    /// (`context.accessLabel`) may record the failure; the result is in `ReadOutcome.record`.
    func recordFailure(_ error: StationError, context: ReadoutContext) async throws -> Record?
}

extension ReadoutRecorder {
    public func recordFailure(_ error: StationError, context: ReadoutContext) async throws -> Record? { nil }
}

/// Records nothing: a station that only reads and verifies.
public struct NoRecorder: ReadoutRecorder {
    public typealias Record = Never
    public init() {}
    public func record(_ readout: CardReadout, context: ReadoutContext) async throws -> Never? { nil }
}
