import ArgumentParser
import Foundation
import Registry

/// `cccd registry show ID [--json]`: the citizen, cards with status and chip evidence, the
/// account, and the last reads with their event ids. Never the CAN.
struct RegistryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a citizen's record, cards, VNeID account and last reads.")

    @Argument(help: "The 12-digit ID number.")
    var id: String

    @Option(help: "How many recent events to list.")
    var last = 10

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    struct CardView: Encodable {
        var dateOfIssue: String
        var dateOfExpiry: String?
        var status: String
        var storedStatus: String
        var chip: ChipEvidence?
        /// Why the card is in its status (e.g. the `reprint` reasons); empty otherwise.
        var statusReasons: [String] = []
        enum K: String, CodingKey { case dateOfIssue, dateOfExpiry, status, storedStatus, chip, statusReasons }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: K.self)
            try c.encode(dateOfIssue, forKey: .dateOfIssue); try c.encode(dateOfExpiry, forKey: .dateOfExpiry)
            try c.encode(status, forKey: .status); try c.encode(storedStatus, forKey: .storedStatus); try c.encode(chip, forKey: .chip)
            try c.encode(statusReasons, forKey: .statusReasons)
        }
    }
    struct EventView: Encodable {
        var eventId: String, at: String, kind: String, device: String
        var station: String?, team: String?, verdict: String?, alerts: [String]
        enum K: String, CodingKey { case eventId, at, kind, device, station, team, verdict, alerts }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: K.self)
            try c.encode(eventId, forKey: .eventId); try c.encode(at, forKey: .at); try c.encode(kind, forKey: .kind)
            try c.encode(device, forKey: .device); try c.encode(station, forKey: .station); try c.encode(team, forKey: .team)
            try c.encode(verdict, forKey: .verdict); try c.encode(alerts, forKey: .alerts)
        }
    }
    struct View: Encodable {
        var citizen: Citizen
        var cards: [CardView]
        var vneid: RegistryLink.VNeIDOutcome?
        var reads: [EventView]
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let id = try RegistryCLI.validID(self.id)
            let (snap, events) = try await storeOption.withStore { store in
                (try await store.snapshot(id), try await store.recentEvents(idNumber: id, limit: max(0, last)))
            }
            guard let citizen = snap.citizen else { throw RegistryError.notFound("no citizen with this ID number") }
            let today = ISODate.day(of: Date())
            let view = View(
                citizen: citizen,
                cards: snap.cards.map { CardView(dateOfIssue: $0.dateOfIssue, dateOfExpiry: $0.dateOfExpiry, status: $0.status(on: today).rawValue,
                                                 storedStatus: $0.storedStatus.rawValue, chip: $0.chip, statusReasons: $0.statusReasons) },
                vneid: snap.account.map { .init(status: $0.status, level: $0.level, reason: $0.reason, source: $0.source, observedAt: $0.observedAt) },
                reads: events.map { e in
                    let c = e.content
                    var alerts = [String]()
                    if case .array(let a)? = c?["body"]?["link"]?["alerts"] { alerts = a.compactMap(\.stringValue) }
                    return EventView(eventId: e.id, at: e.at, kind: e.kind.rawValue, device: e.device, station: e.station, team: e.team,
                                     verdict: c?["body"]?["verdict"]?.stringValue, alerts: alerts)
                })
            if json { Output(json: true).printJSON(view); return }
            print("\(citizen.fullName) — born \(citizen.dateOfBirth), \(citizen.sex) — record v\(citizen.version) (\(citizen.source.rawValue))")
            if let r = citizen.placeOfResidence { print("  residence: \(r)") }
            for c in view.cards {
                print("  card issued \(c.dateOfIssue), expires \(c.dateOfExpiry ?? "never"): \(c.status)"
                      + (c.statusReasons.isEmpty ? "" : " (\(c.statusReasons.joined(separator: ", ")))")
                      + (c.chip.map { ", chip SOD \($0.sodSHA256.prefix(16))…" } ?? ", chip not read yet"))
            }
            if let v = view.vneid {
                print("  VNeID: \(v.status.rawValue)" + (v.level.map { " level \($0)" } ?? "") + (v.reason.map { " (\($0.rawValue))" } ?? "")
                      + " — \(v.source.rawValue), \(ISODate.timestamp(v.observedAt))")
            } else {
                print("  VNeID: notRegistered")
            }
            for e in view.reads {
                print("  \(e.at) \(e.kind) \(e.station ?? e.team ?? e.device)" + (e.verdict.map { " \($0)" } ?? "")
                      + (e.alerts.isEmpty ? "" : " alerts: " + e.alerts.joined(separator: ",")) + " [\(e.eventId)]")
            }
        }
    }
}
