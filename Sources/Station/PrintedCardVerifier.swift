import CCCD
import Foundation
import ISO7816
import MRTD
import Registry

/// An issuing station's check of freshly printed cards, on one or many readers: each card is
/// opened with the CAN from its card record, read, verified, compared with the issuance record,
/// and moved to `verified` (chip evidence stored, so any later read can tell this chip from
/// another) or to `reprint` (the record holds the reasons). One `PrintedCardOutcome` per card.
///
/// ```swift
/// let verifier = PrintedCardVerifier(store: store, station: "Phủ Lý 1", device: "station-1", options: StationOptions(trust: trust))
/// for try await card in verifier.outcomes(readers: .list(["ACS ACR1252 0", "ACS ACR1252 1"])) {
///     print(card.reader, card.outcome.rawValue, card.reasons)
/// }
/// ```
///
/// **Which record a card belongs to.** A card tells nothing about itself before access control,
/// so the verifier tries the CANs of the printed cards in the store (`printed`, holding a CAN),
/// in printing order (least recently changed first), one PACE attempt each, at most
/// `maxCandidates` per card; a CAN shared by several records is tried once and the chip's own ID
/// number and date of issue pick the record. A card verified or marked for reprint leaves the
/// queue, so the card on the reader is usually among the first candidates. Cost: each wrong
/// candidate is one failed PACE (EF.CardAccess and about five APDUs; measured ≈ 8.5 ms through
/// pcscd and the simulated reader, a few hundred on a contactless reader) — keep the queue short (a batch)
/// or give the ID number (`verify(reader:atr:idNumber:)`). A card no candidate opens is an
/// `error` outcome (`accessDenied`) and changes nothing: it is not one of this station's printed cards.
public struct PrintedCardVerifier: Sendable {
    public let store: any FieldWorkflowStore
    public let context: ReadContext
    public let maxCandidates: Int
    /// The underlying station (its options: trust, read timeout).
    public let station: CardStation<PrintedCardRecorder>

    /// - Parameters:
    ///   - station: the station's name, recorded on every event.
    ///   - device: the device whose hash chain the events join.
    ///   - maxCandidates: how many printed cards' CANs are tried on one card at most.
    public init(store: any FieldWorkflowStore, station: String, device: String, operator: String? = nil, options: StationOptions,
                maxCandidates: Int = 16) {
        self.store = store
        context = ReadContext(station: station, device: device, operator: `operator`)
        self.maxCandidates = max(1, maxCandidates)
        self.station = CardStation(options: options, recorder: PrintedCardRecorder(store: store, context: context, now: options.now))
    }

    /// The keys to try on a presented card: one per distinct CAN among the printed cards, in printing order.
    public func candidates(idNumber: String? = nil) async throws -> [AccessCandidate] {
        let cards: [Card]
        if let idNumber {
            cards = try await store.snapshot(idNumber).cards.filter { $0.storedStatus == .printed && $0.can != nil }
        } else {
            cards = try await store.cardsWithCAN(status: .printed, limit: maxCandidates * 4)
        }
        var byCAN = [String: [Card]](), order = [String]()
        for card in cards {
            guard let can = card.can else { continue }
            if byCAN[can] == nil { order.append(can) }
            byCAN[can, default: []].append(card)
        }
        return order.prefix(maxCandidates).map { AccessCandidate(key: .can($0), label: PrintedCardRecorder.label(byCAN[$0] ?? [])) }
    }

    /// Where each card's keys come from: the candidates, looked up afresh for every card.
    public var keys: AccessKeySource {
        .candidates { [self] _ in try await candidates() }
    }

    /// Everything a console shows (readers, cards, progress, outcomes) until the consuming task
    /// stops; turn each `.outcome` into a `PrintedCardOutcome` with `PrintedCardOutcome(_:)`.
    public func events(readers: ReaderSelection = .all, limit: Int? = nil) -> StationEvents<PrintedCardOutcome> {
        station.events(readers: readers, key: keys, limit: limit)
    }

    /// One outcome per presented card, readers independent, until the consuming task stops or,
    /// with `limit`, after that many verified or reprint cards (errors do not count; a read in
    /// progress always finishes).
    public func outcomes(readers: ReaderSelection = .all, limit: Int? = nil) -> PrintedCardOutcomes {
        PrintedCardOutcomes(base: station.readouts(readers: readers, key: keys, limit: limit))
    }

    /// Checks the card now in `reader`; with `idNumber`, only that citizen's printed cards are tried.
    public func verify(reader: String, atr: [UInt8], idNumber: String? = nil,
                       progress: (@Sendable (ReadProgress) -> Void)? = nil) async -> PrintedCardOutcome {
        PrintedCardOutcome(await station.read(reader: reader, atr: atr, key: keySource(idNumber: idNumber), progress: progress))
    }

    /// Checks a card over any channel (an in-process simulated card).
    public func verify(channel: any CardChannel, card: PresentedCard, idNumber: String? = nil) async -> PrintedCardOutcome {
        PrintedCardOutcome(await station.read(channel: channel, card: card, key: keySource(idNumber: idNumber)))
    }

    func keySource(idNumber: String?) -> AccessKeySource {
        guard let idNumber else { return keys }
        return .candidates { [self] _ in try await candidates(idNumber: idNumber) }
    }
}

/// `PrintedCardVerifier.outcomes`: one `PrintedCardOutcome` per presented card.
public struct PrintedCardOutcomes: AsyncSequence, Sendable {
    public typealias Element = PrintedCardOutcome
    let base: StationReadouts<PrintedCardOutcome>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: StationReadouts<PrintedCardOutcome>.AsyncIterator

        public mutating func next() async throws -> PrintedCardOutcome? {
            try await base.next().map { PrintedCardOutcome($0) }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator()) }
}
