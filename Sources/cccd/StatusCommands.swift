import ArgumentParser
import Foundation
import Registry

/// `cccd card set-status ID --issued YYYY-MM-DD STATUS`: checked, with an event; illegal → exit 2.
struct CardSetStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-status", abstract: "Change a card's status (illegal transitions exit 2).")

    @Argument(help: "The 12-digit ID number.")
    var id: String

    @Option(help: "The card's date of issue (YYYY-MM-DD).")
    var issued: String

    @Argument(help: "ordered, printed, verified, handedOver, reportedLost, revoked or replaced.")
    var status: String

    @OptionGroup var place: EventPlaceOptions

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let id = try RegistryCLI.validID(self.id)
            guard ISODate.validated(issued) != nil else { throw CLIError.usage("--issued must be a YYYY-MM-DD date") }
            guard let to = CardStatus(rawValue: status) else { throw CLIError.usage("unknown card status \(status)") }
            let context = place.context(storeOption)
            let issued = self.issued
            try await storeOption.withStore { store in
                try await store.transact(ids: [id], device: context.device) { s in
                    (try StatusChanges.setCard(s[id] ?? Snapshot(), idNumber: id, dateOfIssue: issued, to: to, source: .officer, context: context, now: Date()), ())
                }
            }
            if json { Output(json: true).printJSON(["status": to.rawValue, "dateOfIssue": issued]) } else { print("card issued \(issued): \(to.rawValue)") }
        }
    }
}

/// `cccd vneid set-status ID STATUS [--level N] [--reason R]`.
struct VNeIDSetStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-status", abstract: "Change a VNeID account's status (illegal transitions exit 2).")

    @Argument(help: "The 12-digit ID number.")
    var id: String

    @Argument(help: "notRegistered, pending, approved, active or locked.")
    var status: String

    @Option(help: "1 or 2 (pending, active).")
    var level: Int?

    @Option(help: "For locked: request, termsBreach, cardRevoked, deceased, authority or cardExpired.")
    var reason: String?

    @OptionGroup var place: EventPlaceOptions

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let id = try RegistryCLI.validID(self.id)
            guard let to = VNeIDStatus(rawValue: status) else { throw CLIError.usage("unknown VNeID status \(status)") }
            var why: LockReason?
            if let reason {
                guard let r = LockReason(rawValue: reason) else { throw CLIError.usage("unknown lock reason \(reason)") }
                why = r
            }
            let context = place.context(storeOption)
            let level = self.level
            let lockReason = why
            try await storeOption.withStore { store in
                try await store.transact(ids: [id], device: context.device) { s in
                    (try StatusChanges.setAccount(s[id] ?? Snapshot(), idNumber: id, to: to, level: level, reason: lockReason, source: .officer,
                                                  context: context, now: Date()), ())
                }
            }
            if json { Output(json: true).printJSON(["status": to.rawValue]) } else { print("VNeID: \(to.rawValue)") }
        }
    }
}

/// `cccd audit verify`: walks every device chain; names the first broken link (exit 1).
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify every device's event hash chain; name the first broken link.")

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let report = try await storeOption.withStore { try await $0.verifyAudit() }
            if json { Output(json: true).printJSON(AuditView(report)) }
            if let b = report.firstBreak {
                if !json { print("broken: \(b.description)") }
                throw ExitCode(1)
            }
            if !json {
                print("ok: \(report.events) events on \(report.devices) devices, every chain intact")
            }
        }
    }
}

/// `{"ok", "events", "devices", "firstBreak": {"device", "seq", "eventId", "reason"} | null}`.
struct AuditView: Encodable {
    struct Break: Encodable { var device: String; var seq: Int; var eventId: String; var reason: String }
    var ok: Bool
    var events: Int
    var devices: Int
    var firstBreak: Break?

    init(_ r: AuditVerifier.Report) {
        ok = r.firstBreak == nil
        events = r.events
        devices = r.devices
        firstBreak = r.firstBreak.map { Break(device: $0.device, seq: $0.seq, eventId: $0.eventId, reason: $0.reason) }
    }

    enum K: String, CodingKey { case ok, events, devices, firstBreak }
    func encode(to e: Encoder) throws {
        var c = e.container(keyedBy: K.self)
        try c.encode(ok, forKey: .ok); try c.encode(events, forKey: .events); try c.encode(devices, forKey: .devices)
        try c.encode(firstBreak, forKey: .firstBreak)
    }
}
