import CCCD
import Foundation
import Logging
import MRTD
import PCSC
import Registry
import Station

/// Runs the station behind the page: the events loop feeds the hub; keys typed on the page start
/// reads of the card in that reader; hand-overs go to the registry. Logs only reader names, codes
/// and counts — never what a card holds or the key that opened it.
final class ConsoleDriver: Sendable {
    let hub: ConsoleHub
    let configuration: ConsoleConfiguration
    let station: CardStation<ConsoleRecorder>
    let logger: Logger

    init(configuration: ConsoleConfiguration, hub: ConsoleHub, logger: Logger) {
        self.configuration = configuration
        self.hub = hub
        self.logger = logger
        let recorder = ConsoleRecorder(store: configuration.store, context: configuration.readContext)
        station = CardStation(options: StationOptions(trust: configuration.trust, readTimeout: configuration.readTimeout), recorder: recorder)
    }

    /// The verify-printed check of the library (station mode with a registry of printed cards).
    var verifier: PrintedCardVerifier? {
        guard configuration.printedCards, case .station(let name) = configuration.mode,
              let store = configuration.store as? any FieldWorkflowStore else { return nil }
        return PrintedCardVerifier(store: store, station: name, device: configuration.device, operator: configuration.operatorID,
                                   options: StationOptions(trust: configuration.trust, readTimeout: configuration.readTimeout))
    }

    /// The events loop, until cancelled.
    func run() async {
        if let card = configuration.inProcessCard {
            await readInProcess(card)
            // The in-process card is the only card; nothing else to watch.
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        // pcscd may start after the console, stop, or restart (socket activation, an upgrade, a
        // crash): the page says so, forgets the readers it can no longer see, and the loop comes
        // back by itself — an operator in the field cannot restart the console to recover.
        var retryDelay = Duration.milliseconds(250)
        var reported: StationError.Code?
        while !Task.isCancelled {
            if (try? await PCSCContext.establish()) != nil { await hub.serviceAvailable() }
            let started = ContinuousClock.now
            let ended = await watchOnce()
            if Task.isCancelled { return }
            let ranLong = ContinuousClock.now - started > .seconds(5)
            // A monitor that ends without an error while the console runs lost its service too.
            let e = ended.map { StationError(classifying: $0) } ?? StationError(code: .pcscUnavailable, message: "the reader monitor ended")
            // Logged when it starts failing or fails differently, not at every retry of a long outage.
            if reported != e.code || ranLong {
                logger.error("the reader monitor stopped; retrying", metadata: ["code": .string(e.code.rawValue)])
                reported = e.code
            }
            await hub.serviceLost(Bilingual("Không kết nối được dịch vụ đầu đọc (pcscd): \(e.code.rawValue) — đang thử lại",
                                            "The reader service (pcscd) is not available: \(e.code.rawValue) — retrying"))
            // A monitor that ran a while failed for a new reason: retry soon; one that keeps failing backs off to 2 s.
            retryDelay = ranLong ? .milliseconds(250) : min(retryDelay * 2, .seconds(2))
            try? await Task.sleep(for: retryDelay)
        }
    }

    /// One reader monitor until it ends: the error that stopped it, nil when it just ended.
    private func watchOnce() async -> Error? {
        if let verifier {
            return await consume(verifier.events(readers: configuration.readers)) { ConsoleOutcome($0) }
        }
        let key: AccessKeySource
        switch configuration.keySource {
        case .fixed(let k): key = .fixed(k)
        // The events loop never waits for the operator: the card waits in `waitingKey` and the
        // page's key starts its read (so the read timeout never runs while someone types).
        case .operatorEntry: key = .resolver { _ in nil }
        }
        let classifier = configuration.mode.isStation ? configuration.classifier : nil
        return await consume(station.events(readers: configuration.readers, key: key)) { ConsoleOutcome($0, classifier: classifier) }
    }

    private func consume<R: Sendable>(_ events: StationEvents<R>, _ convert: @Sendable (ReadOutcome<R>) -> ConsoleOutcome) async -> Error? {
        do {
            for try await event in events {
                switch event {
                case .readerAdded(let r):
                    logger.info("reader added", metadata: ["reader": .string(r)])
                    await hub.readerAdded(r)
                case .readerRemoved(let r):
                    logger.info("reader removed", metadata: ["reader": .string(r)])
                    await hub.readerRemoved(r)
                case .cardInserted(let card):
                    logger.info("card inserted", metadata: ["reader": .string(card.reader)])
                    await hub.cardInserted(card)
                case .cardRemoved(let r):
                    logger.info("card removed", metadata: ["reader": .string(r)])
                    await hub.cardRemoved(r)
                case .cardMute(let r):
                    logger.info("mute card", metadata: ["reader": .string(r)])
                    await hub.cardMute(r)
                case .progress(let card, let p):
                    await hub.progress(card, p)
                case .outcome(let raw):
                    let o = convert(raw)
                    // In operator mode the loop's own "no key" outcome only means "waiting for the CAN".
                    if !(configuration.keyFromOperator && o.error?.code == .noAccessKey) { log(o) }
                    await hub.outcome(o, simulated: configuration.simulated)
                }
            }
            return nil
        } catch {
            return error
        }
    }

    private func readInProcess(_ card: ConsoleConfiguration.InProcessCard) async {
        let presented = PresentedCard(reader: card.reader, atr: card.atr)
        await hub.readerAdded(card.reader)
        await hub.cardInserted(presented)
        guard case .fixed(let k) = configuration.keySource else { return }
        let station = self.station
        let o = await Self.forwardingProgress(to: hub, card: presented) { progress in
            await station.read(channel: card.channel, card: presented, key: .fixed(k), progress: progress)
        }
        let outcome = ConsoleOutcome(o, classifier: nil)
        log(outcome)
        await hub.outcome(outcome, simulated: configuration.simulated)
    }

    /// Runs a read outside the events loop, forwarding its progress to the hub in order and all of
    /// it before the outcome is returned.
    static func forwardingProgress<T: Sendable>(to hub: ConsoleHub, card: PresentedCard,
                                                _ body: (@escaping @Sendable (ReadProgress) -> Void) async -> T) async -> T {
        let (stream, continuation) = AsyncStream<ReadProgress>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let forward = Task {
            for await p in stream { await hub.progress(card, p) }
        }
        let outcome = await body { continuation.yield($0) }
        continuation.finish()
        await forward.value
        return outcome
    }

    private func log(_ o: ConsoleOutcome) {
        var meta: Logger.Metadata = ["reader": .string(o.card.reader), "ms": .stringConvertible(o.duration.components.seconds * 1000
            + o.duration.components.attoseconds / 1_000_000_000_000_000)]
        if let r = o.readout { meta["verdict"] = .string(r.verdict.rawValue) }
        if let e = o.error { meta["code"] = .string(e.code.rawValue) }
        if let b = o.batch { meta["batch"] = .string(b.kind.rawValue) }
        logger.info("card read", metadata: meta)
    }

    enum KeyResult: Equatable {
        case started
        case invalid(String)
        case unknownReader, noCard, busy, tooManyAttempts
        case notInRegistry
    }

    /// A key typed on the page for the card in `readerID`, starting its read in the background:
    /// a 6-digit CAN or a TD1 MRZ (three lines of 30); in station mode with printed card records,
    /// the card's 12-digit ID number (the library tries that citizen's printed cards' CANs).
    func submitKey(readerID: String, text: String) async -> KeyResult {
        let cleaned = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let isID = cleaned.count == 12 && cleaned.allSatisfy { $0.isASCII && $0.isNumber }
        if let verifier {
            guard isID else { return .invalid("Số định danh: 12 số (ID number: 12 digits)") }
            guard case .accepted(let card) = await hub.beginOperatorRead(readerID: readerID) else { return .busy }
            let hub = self.hub
            Task {
                let p = await Self.forwardingProgress(to: hub, card: card) { progress in
                    await verifier.verify(reader: card.reader, atr: card.atr, idNumber: cleaned, progress: progress)
                }
                let o = ConsoleOutcome(p, card: card)
                self.log(o)
                await hub.outcome(o, simulated: false)
            }
            return .started
        }
        let key: AccessKey
        if cleaned.count == 6, cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) {
            key = .can(cleaned)
        } else {
            guard cleaned.count >= 90, let mrz = try? MRZ(cleaned), mrz.format == .td1 else {
                return .invalid("CAN: 6 số · MRZ: 3 dòng × 30 ký tự (CAN: 6 digits · MRZ: 3 lines of 30)")
            }
            key = mrz.accessKey
        }
        switch await hub.beginOperatorRead(readerID: readerID) {
        case .unknownReader: return .unknownReader
        case .noCard: return .noCard
        case .busy: return .busy
        case .tooManyAttempts: return .tooManyAttempts
        case .accepted(let card):
            let hub = self.hub
            let station = self.station
            let simulated = configuration.simulated
            let classifier = configuration.mode.isStation ? configuration.classifier : nil
            Task {
                let raw = await Self.forwardingProgress(to: hub, card: card) { progress in
                    await station.read(card, key: .fixed(key), progress: progress)
                }
                let o = ConsoleOutcome(raw, classifier: classifier)
                self.log(o)
                await hub.outcome(o, simulated: simulated)
            }
            return .started
        }
    }

    enum HandOverResult: Equatable {
        case done
        case unknownReader, notVerified, noRegistry
        case refused(String)
    }

    /// Hands the verified card in `readerID` to its citizen, as `cccd station hand-over` does: a
    /// confirming read of the chip on the reader (opened with its record's CAN), then, in one
    /// store transaction, `HandOverCheck` — the read linked and recorded, and the card moved
    /// verified → handedOver only if the chip is the one verified for this card.
    func handOver(readerID: String) async -> HandOverResult {
        guard configuration.printedCards, let store = configuration.store else { return .noRegistry }
        switch await hub.handOverTarget(readerID: readerID) {
        case .unknownReader: return .unknownReader
        case .notVerified: return .notVerified
        case .ready(let card, let id, let issued):
            let context = configuration.readContext
            do {
                guard let can = try await store.snapshot(id).cards.first(where: { $0.dateOfIssue == issued })?.can else {
                    return .refused("noAccessKey")
                }
                // Not recorded by the station: the hand-over transaction links and records this read.
                let confirming = await CardStation(options: StationOptions(trust: configuration.trust, readTimeout: configuration.readTimeout))
                    .read(card, key: .can(can))
                guard let readout = confirming.readout else { return .refused(confirming.error?.code.rawValue ?? "internal") }
                let now = Date()
                let eventId = UUIDv7.make(at: now)
                let result = try await store.transact(ids: [id], device: context.device) { snaps in
                    try HandOverCheck.plan(readout: readout, idNumber: id, dateOfIssue: issued, snapshot: snaps[id] ?? Snapshot(),
                                           context: context, eventId: eventId, now: now)
                }
                if let refusal = result.refusal {
                    logger.warning("hand-over refused", metadata: ["reader": .string(card.reader), "code": .string(refusal.code.rawValue)])
                    return .refused(refusal.code.rawValue)
                }
            } catch let e as FieldWorkflowError {
                logger.warning("hand-over refused", metadata: ["reader": .string(card.reader), "code": .string(e.code.rawValue)])
                return .refused(e.code.rawValue)
            } catch let e as RegistryError {
                logger.warning("hand-over refused", metadata: ["reader": .string(card.reader), "code": .string(e.code)])
                return .refused(e.code)
            } catch {
                logger.warning("hand-over failed", metadata: ["reader": .string(card.reader)])
                return .refused("store")
            }
            logger.info("card handed over", metadata: ["reader": .string(card.reader)])
            await hub.handedOver(readerID: readerID)
            return .done
        }
    }
}
