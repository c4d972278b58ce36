import CCCD
import Foundation
import Logging
import MRTD
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

    /// The events loop, until cancelled. PC/SC failing ends it with a message on the page.
    func run() async {
        if let card = configuration.inProcessCard {
            await readInProcess(card)
        }
        guard configuration.inProcessCard == nil else {
            // The in-process card is the only card; nothing else to watch.
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return
        }
        let key: AccessKeySource
        switch configuration.keySource {
        case .fixed(let k): key = .fixed(k)
        // The events loop never waits for the operator: the card waits in `waitingKey` and the
        // page's key starts its read (so the read timeout never runs while someone types).
        case .operatorEntry: key = .resolver { _ in nil }
        }
        do {
            for try await event in station.events(readers: configuration.readers, key: key) {
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
                case .outcome(let o):
                    // In operator mode the loop's own "no key" outcome only means "waiting for the CAN".
                    if !(configuration.keyFromOperator && o.error?.code == .noAccessKey) { log(o) }
                    await hub.outcome(o, simulated: configuration.simulated)
                }
            }
        } catch {
            let e = StationError(classifying: error)
            logger.error("the reader monitor stopped", metadata: ["code": .string(e.code.rawValue)])
            await hub.fail(Bilingual("Không kết nối được dịch vụ đầu đọc (pcscd): \(e.code.rawValue)",
                                     "The reader service (pcscd) is not available: \(e.code.rawValue)"))
        }
    }

    private func readInProcess(_ card: ConsoleConfiguration.InProcessCard) async {
        let presented = PresentedCard(reader: card.reader, atr: card.atr)
        await hub.readerAdded(card.reader)
        await hub.cardInserted(presented)
        guard case .fixed(let k) = configuration.keySource else { return }
        let station = self.station
        let o = await Self.read(station: station, hub: hub, card: presented) { progress in
            await station.read(channel: card.channel, card: presented, key: .fixed(k), progress: progress)
        }
        log(o)
        await hub.outcome(o, simulated: configuration.simulated)
    }

    /// Runs a read outside the events loop, forwarding its progress to the hub in order and all of
    /// it before the outcome is returned.
    static func read(station: CardStation<ConsoleRecorder>, hub: ConsoleHub, card: PresentedCard,
                     _ body: (@escaping @Sendable (ReadProgress) -> Void) async -> ReadOutcome<RegistryLink>) async -> ReadOutcome<RegistryLink> {
        let (stream, continuation) = AsyncStream<ReadProgress>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let forward = Task {
            for await p in stream { await hub.progress(card, p) }
        }
        let outcome = await body { continuation.yield($0) }
        continuation.finish()
        await forward.value
        return outcome
    }

    private func log(_ o: ReadOutcome<RegistryLink>) {
        var meta: Logger.Metadata = ["reader": .string(o.card.reader), "ms": .stringConvertible(o.duration.components.seconds * 1000
            + o.duration.components.attoseconds / 1_000_000_000_000_000)]
        if let r = o.readout { meta["verdict"] = .string(r.verdict.rawValue) }
        if let e = o.error { meta["code"] = .string(e.code.rawValue) }
        logger.info("card read", metadata: meta)
    }

    enum KeyResult: Equatable {
        case started
        case invalid(String)
        case unknownReader, noCard, busy, tooManyAttempts
        case notInRegistry
    }

    /// A key typed on the page for the card in `readerID`: a 6-digit CAN, a TD1 MRZ (three lines of
    /// 30), or — in station mode with a registry — the card's 12-digit ID number, whose printed
    /// card's CAN the registry holds. Starts the read in the background.
    func submitKey(readerID: String, text: String) async -> KeyResult {
        let cleaned = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let key: AccessKey
        if cleaned.count == 12, cleaned.allSatisfy({ $0.isASCII && $0.isNumber }), let store = configuration.store {
            guard let can = try? await Self.printedCAN(store: store, idNumber: cleaned) else { return .notInRegistry }
            key = .can(can)
        } else if cleaned.count == 6, cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) {
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
            Task {
                let o = await Self.read(station: station, hub: hub, card: card) { progress in
                    await station.read(card, key: .fixed(key), progress: progress)
                }
                self.log(o)
                await hub.outcome(o, simulated: simulated)
            }
            return .started
        }
    }

    /// The CAN of the citizen's newest printed (or verified) card.
    static func printedCAN(store: any RegistryStore, idNumber: String) async throws -> String? {
        let s = try await store.snapshot(idNumber)
        return s.cards.filter { [.printed, .verified].contains($0.storedStatus) }.sorted { $0.dateOfIssue > $1.dateOfIssue }.first?.can
    }

    enum HandOverResult: Equatable {
        case done
        case unknownReader, notVerified, noRegistry
        case refused(String)
    }

    /// Records that the verified card in `readerID` was handed to its citizen (card status
    /// handedOver, with its event), then marks it on the page.
    func handOver(readerID: String) async -> HandOverResult {
        guard let store = configuration.store else { return .noRegistry }
        switch await hub.handOverTarget(readerID: readerID) {
        case .unknownReader: return .unknownReader
        case .notVerified: return .notVerified
        case .ready(let reader, let id, let issued):
            let context = configuration.readContext
            do {
                try await store.transact(ids: [id], device: context.device) { s in
                    (try StatusChanges.setCard(s[id] ?? Snapshot(), idNumber: id, dateOfIssue: issued, to: .handedOver, source: .officer,
                                               context: context, now: Date()), ())
                }
            } catch let e as RegistryError {
                logger.warning("hand-over refused", metadata: ["reader": .string(reader), "code": .string(e.code)])
                return .refused(e.code)
            } catch {
                logger.warning("hand-over failed", metadata: ["reader": .string(reader)])
                return .refused("store")
            }
            logger.info("card handed over", metadata: ["reader": .string(reader)])
            await hub.handedOver(readerID: readerID)
            return .done
        }
    }
}
