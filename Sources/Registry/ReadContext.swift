import Foundation

/// Where and by whom a card was read: recorded on the event.
public struct ReadContext: Sendable, Hashable {
    /// A fixed station, or
    public var station: String?
    /// a mobile team.
    public var team: String?
    /// The device whose hash chain the event joins.
    public var device: String
    public var `operator`: String?

    /// Station and team names are stored in NFC: they group the campaign's figures, and the same
    /// name typed through another Vietnamese input method (decomposed marks) must be the same group.
    public init(station: String? = nil, team: String? = nil, device: String, operator: String? = nil) {
        self.station = station?.precomposedStringWithCanonicalMapping
        self.team = team?.precomposedStringWithCanonicalMapping
        self.device = device
        self.operator = `operator`
    }
}
