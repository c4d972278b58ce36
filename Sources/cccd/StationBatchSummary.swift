import Foundation
import Station

/// The counts of a `station verify-printed` batch, overall and per reader.
///
/// JSON (`--json`, the last line): `{"summary": {"verified", "reprint", "errors", "cards", "seconds",
/// "cardsPerMinute", "readers": {"READER": {"verified", "reprint", "errors"}}}}` — `cards` =
/// verified + reprint (cards checked; errors are presentations that checked nothing),
/// `seconds` from the start of the batch, `cardsPerMinute` = cards / minutes (one decimal).
struct StationBatchSummary: Encodable {
    struct Counts: Encodable {
        var verified = 0, reprint = 0, errors = 0
    }

    var verified = 0, reprint = 0, errors = 0
    var readers: [String: Counts] = [:]
    var seconds = 0.0

    var cards: Int { verified + reprint }
    var cardsPerMinute: Double { seconds > 0 ? (Double(cards) * 60 / seconds * 10).rounded() / 10 : 0 }

    mutating func add(_ o: PrintedCardOutcome) {
        var c = readers[o.reader] ?? Counts()
        switch o.outcome {
        case .verified: verified += 1; c.verified += 1
        case .reprint: reprint += 1; c.reprint += 1
        case .error: errors += 1; c.errors += 1
        }
        readers[o.reader] = c
    }

    enum Keys: String, CodingKey { case verified, reprint, errors, cards, seconds, cardsPerMinute, readers }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(verified, forKey: .verified)
        try c.encode(reprint, forKey: .reprint)
        try c.encode(errors, forKey: .errors)
        try c.encode(cards, forKey: .cards)
        try c.encode((seconds * 10).rounded() / 10, forKey: .seconds)
        try c.encode(cardsPerMinute, forKey: .cardsPerMinute)
        try c.encode(readers, forKey: .readers)
    }

    /// A few lines for the operator.
    var human: String {
        var lines = ["Batch: \(cards) cards in \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", cardsPerMinute)) per minute): "
                     + "\(verified) verified, \(reprint) to reprint, \(errors) errors"]
        for (name, c) in readers.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name): \(c.verified) verified, \(c.reprint) to reprint, \(c.errors) errors")
        }
        return lines.joined(separator: "\n")
    }
}

/// `{"summary": {...}}`.
struct StationSummaryLine: Encodable {
    var summary: StationBatchSummary
}
