import ArgumentParser
import Foundation
import Registry

/// `cccd vneid apply ID --level 2 --phone N`: a level-2 application, on the evidence of a fresh
/// genuine read of the citizen's own card on this device.
struct VNeIDApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Take a level-2 VNeID application after a genuine read of the citizen's own card.",
        discussion: """
        Needs a read event on this device ($CCCD_DEVICE) within --read-within minutes (default 10): verdict genuine, this \
        ID number, the citizen's valid card (not revoked, lost, replaced or expired; not another chip). Its event id is \
        the evidence, stored in the application event; the account moves to pending level 2 (checked: an active or \
        locked account is refused). The phone number (--phone - reads it from stdin) is never printed or stored: the \
        event keeps it masked (+84******678) and as a SHA-256 digest bound to the ID number.
        Exit codes: 0 recorded; 1 refused (noFreshRead, cardNotValid, notFound); 2 usage (bad phone number, level, \
        illegal VNeID transition); 4 store unavailable. With --json: {"idNumber","status":"pending","level":2,"eventId","evidenceEventId"}.
        """)

    @Argument(help: "The 12-digit ID number.")
    var idNumber: String

    @Option(help: "The level applied for (2: in person, with the chip card).")
    var level: Int

    @Option(help: "The citizen's Vietnamese mobile number (0xxxxxxxxx or +84xxxxxxxxx); - reads it from stdin.")
    var phone: String

    @OptionGroup var place: EventPlaceOptions

    @Option(help: "How many minutes old the citizen's card read may be at most.")
    var readWithin = 10.0

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard level == 2 else { throw ValidationError("--level must be 2: level 1 is registered by the citizen in the VNeID app") }
        guard readWithin > 0 && readWithin <= 24 * 60 else { throw ValidationError("--read-within must be between 0 and 1440 minutes") }
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let id = try RegistryCLI.validID(idNumber)
            let text = phone == "-" ? try ReadOptions.stdinLine(for: "--phone") : phone
            guard let number = VietnameseMobileNumber(text) else {
                throw FieldCLI.error(FieldWorkflowError(.invalidPhone, "--phone is not a Vietnamese mobile number (0 and 9 digits starting 3, 5, 7, 8 or 9; or +84 and 9 digits)"))
            }
            let context = place.context(storeOption)
            let (level, window) = (self.level, readWithin * 60)
            let result: LevelTwoApplication.Result
            do {
                result = try await storeOption.withStore { store in
                    let now = Date()
                    let events = try await store.recentEvents(idNumber: id, limit: 100)
                    return try await store.transact(ids: [id], device: context.device) { snaps in
                        let s = snaps[id] ?? Snapshot()
                        guard s.citizen != nil else { throw FieldWorkflowError(.notFound, "no citizen with this ID number") }
                        let evidence = try LevelTwoApplication.evidence(events, idNumber: id, snapshot: s, device: context.device, now: now, window: window)
                        return try LevelTwoApplication.plan(snapshot: s, idNumber: id, level: level, phone: number, evidence: evidence, context: context, now: now)
                    }
                }
            } catch let e as FieldWorkflowError {
                throw FieldCLI.error(e)
            }
            if json {
                Output(json: true).printJSON(ApplicationView(idNumber: id, status: result.account.status.rawValue, level: level, eventId: result.eventId,
                                                            evidenceEventId: result.evidenceEventId))
            } else {
                print("VNeID: pending level \(level) (application \(result.eventId), on the read \(result.evidenceEventId))")
            }
        }
    }
}

/// `{"idNumber","status","level","eventId","evidenceEventId"}`.
struct ApplicationView: Encodable {
    var idNumber: String
    var status: String
    var level: Int
    var eventId: String
    var evidenceEventId: String
}
