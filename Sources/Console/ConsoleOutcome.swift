import CCCD
import Registry
import Station

/// One presented card's outcome as the console shows it, whichever station produced it: the
/// console's own reads (desk, team) or the library's verify-printed batch (station mode).
struct ConsoleOutcome: Sendable {
    var card: PresentedCard
    var readout: CardReadout?
    var link: RegistryLink?
    var error: StationError?
    /// How it counts in the verify-printed batch (station mode only).
    var batch: BatchOutcome?
    /// The card record this chip was matched to (ID number, date of issue), for a hand-over.
    var record: (idNumber: String, dateOfIssue: String)?
    var duration: Duration

    /// A read by the console's own station; in station mode classified by `classifier`.
    init(_ o: ReadOutcome<RegistryLink>, classifier: (any BatchClassifier)?) {
        card = o.card
        readout = o.readout
        link = o.record
        error = o.error
        batch = classifier?.classify(o)
        duration = o.duration
        if let r = o.readout, let id = Linker.idNumber(of: r), let issued = r.citizen?.dateOfIssue { record = (id, issued) }
    }

    /// A card checked by `PrintedCardVerifier`: its verdict on the card against the issuance record.
    init(_ o: ReadOutcome<PrintedCardOutcome>) {
        self.init(PrintedCardOutcome(o), card: o.card)
    }

    init(_ p: PrintedCardOutcome, card: PresentedCard) {
        self.card = card
        duration = p.duration
        readout = p.readout
        link = p.link
        // A card read and judged is not an error for the page even when the verifier says reprint.
        error = p.readout == nil ? p.error : nil
        let kind: BatchClass = switch p.outcome {
        case .verified: .verified
        case .reprint: .reprint
        case .error: .error
        }
        batch = BatchOutcome(kind: kind, codes: p.outcome == .error ? [p.error?.code.rawValue ?? "internal"] : p.reasons)
        if let id = p.idNumber, let issued = p.dateOfIssue { record = (id, issued) }
    }
}
