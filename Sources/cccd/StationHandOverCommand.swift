import ArgumentParser
import CCCD
import Foundation
import MRTD
import Registry
import Station

/// `cccd station hand-over ID`: the card goes to its citizen only after a confirming read of the
/// same chip the station verified.
struct StationHandOver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hand-over",
        abstract: "Hand a verified card over after a confirming read of the same chip.",
        discussion: """
        Reads the card on the reader (opened with the card record's CAN unless --can/--mrz/--id is given), links and records \
        the read, and moves the card verified → handedOver only when the verdict is genuine, the chip holds this card's \
        data and its evidence equals the evidence stored at verification. Derived rules apply as for `card set-status` \
        (older cards replaced; an account locked for cardExpired unlocked).
        Exit codes: 0 handed over; 1 refused (notGenuine, differentChip, wrongCard, noChipEvidence, notFound) — the read \
        is still recorded; 2 usage or the card is not verified (wrongStatus); 3 access denied; 4 reader, card or store error.
        With --json: {"idNumber","dateOfIssue","status":"handedOver","eventId"} (eventId: the confirming read's event), \
        or {"error": {"code","message"}}.
        """)

    @Argument(help: "The 12-digit ID number.")
    var idNumber: String

    @Option(help: "The card's date of issue (YYYY-MM-DD); default: the citizen's only verified card.")
    var issued: String?

    @Option(help: "The station's name, recorded on the events.")
    var station: String

    @OptionGroup var options: ReadOptions

    @OptionGroup var storeOption: StoreOption

    func validate() throws {
        if options.simulated { throw ValidationError("hand-over reads the card on the reader; --simulated is not a card to hand over") }
        if let issued, ISODate.validated(issued) == nil { throw ValidationError("--issued must be a YYYY-MM-DD date") }
    }

    func run() async throws {
        let output = Output(json: options.json)
        do {
            let id = try RegistryCLI.validID(idNumber)
            let context = ReadContext(station: station, device: StoreOpener.device, operator: storeOption.operatorID)
            let (issued, result) = try await StoreOpener.with(storeOption.resolved) { store -> (String, HandOverCheck.Result) in
                let card = try HandOverCheck.card(try await store.snapshot(id), dateOfIssue: self.issued)
                guard card.storedStatus == .verified else {
                    throw FieldWorkflowError(.wrongStatus, "the card issued \(card.dateOfIssue) is \(card.storedStatus.rawValue), not verified: verify it first")
                }
                let progress = ProgressLine(enabled: !options.json)
                let trace = try APDULog(path: options.logApdus)
                let readout: CardReadout
                do {
                    readout = try await ReadFlow.readOnce(options, progress: progress, trace: trace, fallbackKey: card.can.map(AccessKey.can)).0
                    progress.finish()
                } catch {
                    progress.finish()
                    throw error
                }
                let now = Date()
                let eventId = UUIDv7.make(at: now)
                let issued = card.dateOfIssue
                let result = try await store.transact(ids: [id], device: context.device) { snaps in
                    try HandOverCheck.plan(readout: readout, idNumber: id, dateOfIssue: issued, snapshot: snaps[id] ?? Snapshot(), context: context,
                                           eventId: eventId, now: now)
                }
                return (issued, result)
            }
            if let refusal = result.refusal { throw refusal }
            if options.json {
                output.printJSON(["idNumber": id, "dateOfIssue": issued, "status": CardStatus.handedOver.rawValue, "eventId": result.link.eventId])
            } else {
                print("card issued \(issued): handedOver (confirming read \(result.link.eventId))")
            }
        } catch let e as FieldWorkflowError {
            throw output.fail(FieldCLI.error(e))
        } catch let e as RegistryError {
            throw output.fail(RegistryCLI.error(e))
        } catch let e as ExitCode {
            throw e
        } catch {
            throw output.fail(ReadFlow.classify(error))
        }
    }
}
