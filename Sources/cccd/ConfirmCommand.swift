import ArgumentParser
import CCCD
import Foundation
import Registry

extension CCCD {
    /// `cccd confirm`: a mobile team's identity check against its extract, with no network.
    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm a citizen's identity: read and verify the card, link it to the team's extract.",
            discussion: """
            The same read as `cccd read --store` (same options, same JSON with "registry", same exit codes: 0 genuine, \
            1 rejected, 2 usage, 3 access denied, 4 reader/card/store, 5 unverified, 6 genuine with registry alerts), \
            linked against the team's store (an extract from `cccd registry extract`) and recorded there; nothing \
            leaves the machine. The human report adds the card's status and the VNeID account with what it allows.
            """)

        @OptionGroup var options: ReadOptions

        @Option(help: "Write the face image, exactly as stored (JPEG or JPEG 2000), to this file.")
        var photo: String?

        @OptionGroup var registry: ReadRegistryOptions

        func validate() throws {
            if registry.store == nil { throw ValidationError("confirm needs --store (the team's extract, e.g. team.sqlite)") }
            if registry.team == nil { throw ValidationError("confirm needs --team NAME (recorded on the read event)") }
            if registry.station != nil { throw ValidationError("confirm is a mobile team's command: give --team, not --station") }
            if options.simulated { throw ValidationError("confirm reads a citizen's card; --simulated is not one") }
        }

        func run() async throws {
            var origin: [String: String] = [:]
            if !options.json, let url = registry.store {
                // The extract's origin, for the report (a store without metadata simply has none).
                origin = (try? await FieldStore.with(url) { try await $0.metadata() }) ?? [:]
            }
            let extract = origin
            try await ReadFlow.readAndLink(options, photo: photo, registry: registry) { readout, note, link in
                HumanReport.render(readout, note: note) + (link.map { "\n" + TeamReport.render($0, extract: extract) } ?? "")
            }
        }
    }
}

/// What a team officer needs to know after a read: the card's status and what the VNeID account
/// allows (no ID number or name: those are in the report above it).
enum TeamReport {
    static func render(_ l: RegistryLink, extract: [String: String]) -> String {
        var lines = [RegistryReport.render(l), "", "Xác nhận (Confirmation)"]
        if l.citizen == .notFound {
            lines.append("  Not in this extract: the citizen may live outside it (\(extract[StoreMetaKey.filter] ?? "no filter recorded")); check with the centre.")
        }
        if let c = l.card {
            lines.append("  Card: " + cardMeaning(c.status) + (c.chip == .differentChip ? " — THIS CHIP IS NOT THE ONE VERIFIED FOR THIS CARD" : ""))
        } else if l.citizen == .found {
            lines.append("  Card: not in the registry (issued after the extract, or not a card of this citizen)")
        }
        if let v = l.vneid {
            lines.append("  VNeID: " + vneidMeaning(v.status, level: v.level, reason: v.reason))
        } else if l.citizen == .found {
            lines.append("  VNeID: " + vneidMeaning(.notRegistered, level: nil, reason: nil))
        }
        if !l.discrepancies.isEmpty {
            lines.append("  The card's data differs from the record (\(l.discrepancies.map(\.field).joined(separator: ", "))): the citizen should update the record; some services refuse until then.")
        }
        if let at = extract[StoreMetaKey.extractedAt] {
            lines.append("  Extract: \(extract[StoreMetaKey.filter] ?? "?"), taken \(at)")
        }
        return lines.joined(separator: "\n")
    }

    static func cardMeaning(_ s: CardStatus) -> String {
        switch s {
        case .handedOver: return "handed over — the citizen's card, valid for identification"
        case .verified, .printed, .ordered, .reprint: return "\(s.rawValue) — never handed over: it should not be in a citizen's hands"
        case .reportedLost: return "reported lost — do not accept; the citizen must report it found at a card office"
        case .revoked: return "revoked (withdrawn or seized) — do not accept"
        case .replaced: return "replaced by a newer card — the citizen should carry the newer card"
        case .expired: return "expired — not valid for identification; the VNeID account stays locked until a new card is handed over"
        }
    }

    static func vneidMeaning(_ s: VNeIDStatus, level: Int?, reason: LockReason?) -> String {
        switch s {
        case .notRegistered:
            return "no account — the citizen can apply here for level 2 (cccd vneid apply) after this read"
        case .pending:
            return "pending level \(level.map(String.init) ?? "?") — awaiting approval; cannot be used yet"
        case .approved:
            return "approved, not yet activated — the citizen must activate it in the VNeID app (why logins fail)"
        case .active where level == 2:
            return "active level 2 — usable where a relying party requires level 2 (identity proven in person with the chip card), and everywhere level 1 is enough"
        case .active:
            return "active level \(level.map(String.init) ?? "?") — usable where level 1 is enough; level 2 needs an in-person application"
        case .locked:
            let why: String
            switch reason {
            case .request: why = "at the holder's request — the holder can ask to unlock it"
            case .termsBreach: why = "for a breach of the app's terms — only the authority lifts it"
            case .cardRevoked: why = "because the card was revoked — only an officer lifts it"
            case .deceased: why = "the holder is recorded as deceased"
            case .authority: why = "at an authority's request — only the authority lifts it"
            case .cardExpired: why = "because the card expired — handing over the new card unlocks it"
            case nil: why = "reason unknown"
            }
            return "locked \(why); cannot be used"
        }
    }
}
