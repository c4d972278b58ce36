import ArgumentParser
import CCCD
import Foundation
import Registry

/// `cccd read ... --store URL [--station NAME | --team NAME] [--operator ID]`: link the read to
/// the registry, record its event, add the `registry` object; exit 6 when the card is genuine but
/// the registry raises an alert.
struct ReadRegistryOptions: ParsableArguments {
    @Option(help: "Link the read to this registry store and record a read event (postgres://..., sqlite:PATH or a path).")
    var store: String?

    @Option(help: "The fixed station recorded on the read event.")
    var station: String?

    @Option(help: "The mobile team recorded on the read event.")
    var team: String?

    @Option(name: .customLong("operator"), help: "Officer ID recorded on the read event.")
    var operatorID: String?

    static let registryAlert: Int32 = 6

    func validate() throws {
        if station != nil && team != nil { throw ValidationError("give --station or --team, not both") }
        if store == nil && (station != nil || team != nil || operatorID != nil) {
            throw ValidationError("--station, --team and --operator need --store")
        }
    }

    /// Links and records, or nil without `--store`. A store failure fails the command: a read
    /// whose event cannot be recorded is not reported as linked.
    func link(_ readout: CardReadout) async throws -> RegistryLink? {
        guard let store else { return nil }
        let context = ReadContext(station: station, team: team, device: StoreOpener.device, operator: operatorID)
        do {
            return try await StoreOpener.with(store) { try await $0.link(readout, context: context) }
        } catch let e as RegistryError {
            throw RegistryCLI.error(e)
        }
    }

    /// The exit status: the verdict's, except 6 for a genuine card with registry alerts.
    static func exitStatus(_ verdict: CardReadout.Verdict, _ link: RegistryLink?) -> Int32 {
        if verdict == .genuine, let link, !link.alerts.isEmpty { return registryAlert }
        return ReadFlow.exitStatus(verdict).rawValue
    }
}

/// The read JSON with the `registry` object added (the read contract's keys unchanged).
struct LinkedReadout: Encodable {
    var readout: CardReadout
    var registry: RegistryLink?

    enum Keys: String, CodingKey { case registry }

    func encode(to encoder: Encoder) throws {
        try readout.encode(to: encoder)
        guard let registry else { return }
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(registry, forKey: .registry)
    }
}

enum RegistryReport {
    /// A few lines for people (no ID number or name).
    static func render(_ l: RegistryLink) -> String {
        var lines = ["Registry: citizen \(l.citizen.rawValue)"]
        if let c = l.card { lines.append("  card issued \(c.dateOfIssue): \(c.status.rawValue), chip \(c.chip.rawValue)") }
        if let v = l.vneid {
            lines.append("  VNeID: \(v.status.rawValue)" + (v.level.map { " (level \($0))" } ?? "") + (v.reason.map { ", \($0.rawValue)" } ?? "")
                         + " [\(v.source.rawValue)]")
        }
        for d in l.discrepancies { lines.append("  differs from the record: \(d.field)") }
        lines.append(l.alerts.isEmpty ? "  no alerts" : "  ALERTS: " + l.alerts.map(\.rawValue).joined(separator: ", "))
        lines.append("  event \(l.eventId)")
        return lines.joined(separator: "\n")
    }
}
