import CCCD
import Foundation
import Registry
import Station

/// How a station-mode read counts in the verify-printed batch.
enum BatchClass: String, Sendable, Encodable {
    /// Read, genuine: ready to hand over.
    case verified
    /// Read, but not genuine: the card must be printed again.
    case reprint
    /// Not read at all (wrong key, card pulled, timeout…).
    case error
}

/// One classified outcome: its class and the codes that explain it (failing checks, or the
/// station error's code).
struct BatchOutcome: Sendable, Hashable, Encodable {
    var kind: BatchClass
    var codes: [String]
}

/// Classifies station-mode outcomes. A small seam so the library's verify-printed API (field
/// workflows) can replace the console's own rule without touching the counting or the page.
protocol BatchClassifier: Sendable {
    func classify(_ outcome: ReadOutcome<RegistryLink>) -> BatchOutcome
}

/// The console's own rule: genuine → verified; read but not genuine → reprint, naming every
/// failing (or, for unverified, not passed) check; not read → error with the station error code.
/// A registry alert on a genuine card (revoked, different chip…) also means reprint: that card
/// must not be handed over.
struct VerdictClassifier: BatchClassifier {
    func classify(_ outcome: ReadOutcome<RegistryLink>) -> BatchOutcome {
        guard let r = outcome.readout else {
            return BatchOutcome(kind: .error, codes: [outcome.error?.code.rawValue ?? "internal"])
        }
        if outcome.error != nil {
            return BatchOutcome(kind: .error, codes: [outcome.error?.code.rawValue ?? "internal"])
        }
        let blocking = (outcome.record?.alerts ?? []).map(\.rawValue)
        if r.verdict == .genuine && blocking.isEmpty { return BatchOutcome(kind: .verified, codes: []) }
        let checks = CardView.checks(r.verification)
        var codes = checks.filter { $0.failing }.map(\.code)
        if r.verdict == .unverified {
            codes += checks.filter { !$0.failing && !["passed", "trusted", "notSupported"].contains($0.status) }.map(\.code)
        }
        return BatchOutcome(kind: .reprint, codes: codes + blocking)
    }
}

/// The batch counts of one reader (and, summed, of the station): outcomes per class and the rate
/// over the last minutes.
struct StationTally: Sendable {
    var verified = 0
    var reprint = 0
    var error = 0
    var handedOver = 0
    /// When each outcome arrived, for cards per minute (kept for the last five minutes).
    var times: [Date] = []

    mutating func add(_ o: BatchOutcome, at now: Date) {
        switch o.kind {
        case .verified: verified += 1
        case .reprint: reprint += 1
        case .error: error += 1
        }
        times.append(now)
        times.removeAll { now.timeIntervalSince($0) > 300 }
    }

    /// Cards per minute over the window since the first outcome (at most five minutes), at least
    /// one minute wide so a first card does not read as sixty per minute.
    func perMinute(now: Date) -> Double {
        let recent = times.filter { now.timeIntervalSince($0) <= 300 }
        guard let first = recent.first else { return 0 }
        let minutes = max(1, now.timeIntervalSince(first) / 60)
        return (Double(recent.count) / minutes * 10).rounded() / 10
    }
}

struct StationReaderView: Sendable, Encodable {
    var verified: Int
    var reprint: Int
    var error: Int
    var perMinute: Double
    var last: BatchOutcome?
    var lastLabel: Bilingual?
    /// The verified card on this reader can be handed over now.
    var canHandOver: Bool
    var handedOver: Bool
}

struct StationTotalsView: Sendable, Encodable {
    var name: String
    var verified: Int
    var reprint: Int
    var error: Int
    var handedOver: Int
    var perMinute: Double
    var classifier: String
}

extension BatchClass {
    var label: Bilingual {
        switch self {
        case .verified: return Bilingual("Đã xác minh — giao được", "Verified — ready to hand over")
        case .reprint: return Bilingual("In lại", "Reprint")
        case .error: return Bilingual("Lỗi đọc", "Read error")
        }
    }
}
