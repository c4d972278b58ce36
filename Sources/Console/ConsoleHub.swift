import CCCD
import Foundation
import ISO7816
import MRTD
import MRTDCrypto
import PCSC
import Registry
import Station

/// The console's one source of truth: every reader, the card in it, the read in progress, the
/// result on show, and the pages listening. Everything the page sees is derived from here on each
/// change; personal data lives here only while its card is shown (until the card leaves or
/// `clearAfter` runs out), and never goes to a log or a file.
actor ConsoleHub {
    enum Status: String {
        case idle, waitingKey, reading, done, failed, wrongKey, wrongKeyTwice, cleared
    }

    /// The photo of the card on show: served from memory under a random path that dies with it.
    struct Photo {
        let token: String
        let bytes: [UInt8]
        let contentType: String
    }

    struct Reader {
        let id: String
        let name: String
        var profile: String?
        var attached = true
        var card: PresentedCard?
        var mute = false
        var status: Status = .idle
        var attempts = 0
        var message: Bilingual?
        var progress: PageState.Progress?
        var view: CardView?
        var photo: Photo?
        /// The card just read, for hand-over: (ID number, date of issue). Personal, dropped with the view.
        var handOverTarget: (id: String, issued: String)?
        var handedOver = false
        var last: BatchOutcome?
        var tally = StationTally()
        /// Bumped whenever the shown data changes hands, so a stale clear timer does nothing.
        var generation = 0
    }

    let configuration: ConsoleConfiguration
    private var readers: [Reader] = []
    private var nextID = 1
    private var subscribers: [UUID: AsyncStream<String>.Continuation] = [:]
    private var closed = false
    private var fatal: Bilingual?
    private let random: any RandomSource

    init(configuration: ConsoleConfiguration, random: any RandomSource = SystemRandom()) {
        self.configuration = configuration
        self.random = random
    }

    // MARK: - Subscribers

    /// A stream of `state` JSON documents: the current one first, then one per change.
    func subscribe() -> (UUID, AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        continuation.yield(encodedState())
        // A page connecting while the console stops gets the state and the end of the stream.
        guard !closed else {
            continuation.finish()
            return (id, stream)
        }
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    var subscriberCount: Int { subscribers.count }

    /// Ends every page's event stream, and any opened later (the console is stopping).
    func closeStreams() {
        closed = true
        let open = subscribers.values
        subscribers = [:]
        for c in open { c.finish() }
    }

    private func publish() {
        guard !subscribers.isEmpty else { return }
        let json = encodedState()
        for c in subscribers.values { c.yield(json) }
    }

    func encodedState() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(state()), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    // MARK: - Reader and card events

    private func index(_ name: String) -> Int {
        if let i = readers.firstIndex(where: { $0.name == name }) { return i }
        let profile = ReaderProfileCatalog.standard.profile(forReader: name)?.name
        readers.append(Reader(id: "r\(nextID)", name: name, profile: profile))
        nextID += 1
        return readers.count - 1
    }

    func readerID(for name: String) -> String { readers[index(name)].id }

    func readerAdded(_ name: String) {
        let i = index(name)
        readers[i].attached = true
        publish()
    }

    func readerRemoved(_ name: String) {
        let i = index(name)
        readers[i].attached = false
        dropCard(i)
        publish()
    }

    func cardInserted(_ card: PresentedCard) {
        let i = index(card.reader)
        dropPersonal(i)
        readers[i].card = card
        readers[i].mute = false
        readers[i].attempts = 0
        readers[i].handedOver = false
        readers[i].status = configuration.keyFromOperator ? .waitingKey : .reading
        readers[i].message = configuration.keyFromOperator ? Self.enterKey : nil
        readers[i].progress = nil
        publish()
    }

    func cardRemoved(_ reader: String) {
        let i = index(reader)
        dropCard(i)
        publish()
    }

    func cardMute(_ reader: String) {
        let i = index(reader)
        dropPersonal(i)
        readers[i].card = nil
        readers[i].mute = true
        readers[i].status = .failed
        readers[i].message = Bilingual("Thẻ không phản hồi — đặt lại thẻ", "The card does not answer — place it again")
        publish()
    }

    private func dropCard(_ i: Int) {
        dropPersonal(i)
        readers[i].card = nil
        readers[i].mute = false
        readers[i].status = .idle
        readers[i].attempts = 0
        readers[i].message = nil
        readers[i].progress = nil
        readers[i].handedOver = false
    }

    /// Forgets everything personal about the reader's card: the view, the photo, the hand-over target.
    private func dropPersonal(_ i: Int) {
        readers[i].view = nil
        readers[i].photo = nil
        readers[i].handOverTarget = nil
        readers[i].generation += 1
    }

    func progress(_ card: PresentedCard, _ p: ReadProgress) {
        let i = index(card.reader)
        // Only the read in progress moves the bar (never a late report after its outcome).
        guard readers[i].card == card, readers[i].status == .reading else { return }
        readers[i].message = nil
        readers[i].progress = Self.progressView(p)
        publish()
    }

    /// A read is starting on the reader's current card (a key came from the page). Returns the
    /// card, or nil when the reader holds none or is busy.
    func beginOperatorRead(readerID: String) -> KeySubmission {
        guard let i = readers.firstIndex(where: { $0.id == readerID }) else { return .unknownReader }
        guard let card = readers[i].card else { return .noCard }
        switch readers[i].status {
        case .reading: return .busy
        case .wrongKeyTwice: return .tooManyAttempts
        default: break
        }
        dropPersonal(i)
        readers[i].status = .reading
        readers[i].message = Bilingual("Đang đọc…", "Reading…")
        readers[i].progress = nil
        publish()
        return .accepted(card)
    }

    enum KeySubmission {
        case accepted(PresentedCard)
        case unknownReader, noCard, busy, tooManyAttempts
    }

    /// An outcome of the events loop or of an operator-started read.
    func outcome(_ o: ConsoleOutcome, simulated: Bool) {
        let i = index(o.card.reader)
        // A card that has left (or been replaced) is not shown.
        guard readers[i].card == o.card else { return }
        readers[i].progress = nil
        if let e = o.error, o.readout == nil {
            if configuration.keyFromOperator && e.code == .noAccessKey && !configuration.printedCards {
                // The events loop does not wait for the operator: the card already waits for its
                // key (or the key already came and its read is running).
                return
            }
            if configuration.printedCards && [.accessDenied, .noAccessKey].contains(e.code) {
                // No printed card's CAN opened it: the operator may name the card by its ID number.
                readers[i].status = .waitingKey
                readers[i].message = Bilingual(
                    "Không mở được thẻ bằng CAN của các thẻ đã in. Nhập số định danh 12 số của thẻ rồi nhấn Enter.",
                    "No printed card's CAN opened this card. Type its 12-digit ID number and press Enter.")
            } else if e.code == .accessDenied {
                readers[i].attempts += 1
                if readers[i].attempts >= 2 {
                    readers[i].status = .wrongKeyTwice
                    readers[i].message = Bilingual(
                        "Sai CAN lần thứ hai. Rút thẻ ra, xem lại 6 số CAN in trên mặt trước thẻ, rồi đặt thẻ lại.",
                        "Wrong CAN again. Remove the card, check the 6-digit CAN printed on its front, and place it again.")
                } else {
                    readers[i].status = .wrongKey
                    readers[i].message = Bilingual("Sai CAN. Kiểm tra 6 số in trên thẻ và nhập lại (còn 1 lần).",
                                                   "Wrong CAN. Check the 6 digits printed on the card and enter it again (1 retry left).")
                }
            } else {
                readers[i].status = .failed
                readers[i].message = Bilingual("Không đọc được thẻ: \(e.code.rawValue)", "The card could not be read: \(e.code.rawValue)")
            }
            // A first wrong CAN is not an outcome yet: the operator retries.
            if let b = o.batch, readers[i].status != .wrongKey { record(i, b) }
            publish()
            return
        }
        guard var readout = o.readout else { return }
        if simulated { readout.simulated = true }
        let photo = readout.photoData.map { bytes in
            Photo(token: Hex.encode(random.bytes(16)), bytes: bytes,
                  contentType: readout.photo?.format == "jpeg2000" ? "image/jp2" : "image/jpeg")
        }
        readers[i].photo = photo
        readers[i].view = CardView(readout, link: o.link, photoURL: photo.map { "/photo/\($0.token)" })
        readers[i].handOverTarget = o.record.map { ($0.idNumber, $0.dateOfIssue) }
        readers[i].status = .done
        readers[i].message = o.error.map { Bilingual("Đọc xong nhưng không ghi được vào cơ sở dữ liệu: \($0.code.rawValue)",
                                                    "Read, but not recorded in the registry: \($0.code.rawValue)") }
        readers[i].generation += 1
        if let b = o.batch { record(i, b) }
        if let b = o.batch, b.kind == .reprint {
            readers[i].message = Bilingual("In lại thẻ: \(b.codes.joined(separator: ", "))", "Reprint the card: \(b.codes.joined(separator: ", "))")
        }
        let generation = readers[i].generation
        let readerName = readers[i].name
        let seconds = configuration.clearAfter
        publish()
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            await self?.clearIfStill(readerName, generation: generation)
        }
    }

    private func record(_ i: Int, _ b: BatchOutcome) {
        readers[i].last = b
        readers[i].tally.add(b, at: Date())
    }

    /// The `clearAfter` timer: drops the shown data unless something newer replaced it.
    func clearIfStill(_ reader: String, generation: Int) {
        guard let i = readers.firstIndex(where: { $0.name == reader }), readers[i].generation == generation, readers[i].view != nil else { return }
        dropPersonal(i)
        readers[i].status = .cleared
        readers[i].message = Bilingual("Đã xoá dữ liệu sau \(configuration.clearAfter) giây", "Data cleared after \(configuration.clearAfter) s")
        publish()
    }

    /// The reader service went away: no reader can be trusted to be there, and no card on show
    /// may outlive its reader.
    func serviceLost(_ message: Bilingual) {
        fatal = message
        for i in readers.indices where readers[i].attached || readers[i].card != nil {
            readers[i].attached = false
            dropCard(i)
        }
        publish()
    }

    func serviceAvailable() {
        guard fatal != nil else { return }
        fatal = nil
        publish()
    }

    // MARK: - Photo and hand-over

    /// The photo bytes behind a token, while its card is on show.
    func photo(token: String) -> Photo? {
        readers.lazy.compactMap(\.photo).first { $0.token == token }
    }

    enum HandOverTarget {
        case ready(card: PresentedCard, id: String, issued: String)
        case unknownReader, notVerified
    }

    func handOverTarget(readerID: String) -> HandOverTarget {
        guard let i = readers.firstIndex(where: { $0.id == readerID }) else { return .unknownReader }
        guard readers[i].last?.kind == .verified, !readers[i].handedOver, let t = readers[i].handOverTarget, readers[i].view != nil,
              let card = readers[i].card else {
            return .notVerified
        }
        return .ready(card: card, id: t.id, issued: t.issued)
    }

    func handedOver(readerID: String) {
        guard let i = readers.firstIndex(where: { $0.id == readerID }) else { return }
        readers[i].handedOver = true
        readers[i].tally.handedOver += 1
        readers[i].message = Bilingual("Đã giao thẻ cho công dân", "Card handed over")
        publish()
    }

    // MARK: - The page's state

    func state() -> PageState {
        let now = Date()
        let isStation = configuration.mode.isStation
        var total = StationTally()
        let rows: [PageState.Reader] = readers.map { r in
            total.verified += r.tally.verified
            total.reprint += r.tally.reprint
            total.error += r.tally.error
            total.handedOver += r.tally.handedOver
            total.times += r.tally.times
            let station = isStation ? StationReaderView(
                verified: r.tally.verified, reprint: r.tally.reprint, error: r.tally.error, perMinute: r.tally.perMinute(now: now),
                last: r.last, lastLabel: r.last?.kind.label,
                canHandOver: r.last?.kind == .verified && r.view != nil && !r.handedOver && configuration.hasRegistry,
                handedOver: r.handedOver) : nil
            return PageState.Reader(
                id: r.id, name: r.name, profile: r.profile, attached: r.attached,
                card: r.card != nil ? "present" : (r.mute ? "mute" : "absent"), status: r.status.rawValue, attempts: r.attempts,
                message: r.message, progress: r.progress, result: r.view, station: station)
        }
        total.times.sort()
        let totals = isStation ? StationTotalsView(
            name: configuration.mode.name ?? "", verified: total.verified, reprint: total.reprint, error: total.error,
            handedOver: total.handedOver, perMinute: total.perMinute(now: now), classifier: configuration.classifierName) : nil
        return PageState(mode: configuration.mode.kind, modeName: configuration.mode.name, simulated: configuration.simulated,
                         clearAfter: configuration.clearAfter, registry: configuration.hasRegistry,
                         keyFromOperator: configuration.keyFromOperator, readers: rows, station: totals, error: fatal)
    }

    static let enterKey = Bilingual("Nhập 6 số CAN in trên thẻ (hoặc MRZ) rồi nhấn Enter",
                                    "Enter the 6-digit CAN printed on the card (or the MRZ), then press Enter")

    static func progressView(_ p: ReadProgress) -> PageState.Progress {
        let (key, label): (String, Bilingual)
        var number: Int?
        var count: Int?
        switch p.phase {
        case .accessControl: (key, label) = ("accessControl", Bilingual("Mở thẻ (PACE/BAC)", "Opening the card (PACE/BAC)"))
        case .chipAuthentication: (key, label) = ("chipAuthentication", Bilingual("Xác thực chip", "Chip authentication"))
        case .readingFile(let n, let m):
            (key, label) = ("readingFile", Bilingual("Đọc dữ liệu", "Reading data"))
            number = n
            count = m
        case .passiveAuthentication: (key, label) = ("passiveAuthentication", Bilingual("Kiểm tra chữ ký", "Checking signatures"))
        case .activeAuthentication: (key, label) = ("activeAuthentication", Bilingual("Xác thực chủ động", "Active authentication"))
        case .linking: (key, label) = ("linking", Bilingual("Đối chiếu cơ sở dữ liệu", "Checking the registry"))
        }
        return PageState.Progress(phase: key, label: label, file: "\(p.file)", fileNumber: number, fileCount: count,
                                  bytes: p.totalBytesRead, fileBytes: p.bytesRead, fileLength: p.fileLength)
    }
}
