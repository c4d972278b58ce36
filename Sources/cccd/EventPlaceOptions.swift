import ArgumentParser
import Registry

/// Where an officer's change is made, recorded on its event: `--station NAME` or `--team NAME`
/// (one of them at most). Shared by the commands that record an officer's decision.
struct EventPlaceOptions: ParsableArguments {
    @Option(help: "The station recorded on the event.")
    var station: String?

    @Option(help: "The mobile team recorded on the event.")
    var team: String?

    func validate() throws {
        if team != nil && station != nil { throw ValidationError("give --team or --station, not both") }
    }

    /// The event's context: this place, this device's chain, the store option's officer.
    func context(_ store: StoreOption) -> ReadContext {
        ReadContext(station: station, team: team, device: StoreOpener.device, operator: store.operatorID)
    }
}
