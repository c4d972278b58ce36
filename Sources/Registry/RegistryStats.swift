/// The figures a campaign reports (domain.md): citizens, cards by status, coverage of the eligible
/// population (citizens aged 14 or more), VNeID accounts by status and level, activation rate,
/// reads per station or team, and activation per district and team over time.
public struct RegistryStats: Codable, Sendable, Hashable {
    public struct Group: Codable, Sendable, Hashable {
        public var name: String
        public var reads: Int
        public var citizens: Int
        public init(name: String, reads: Int, citizens: Int) {
            self.name = name
            self.reads = reads
            self.citizens = citizens
        }
    }

    public var province: String?
    public var citizens: Int = 0
    public var eligibleCitizens: Int = 0
    public var cards: Int = 0
    /// Effective status (expired derived) → count.
    public var cardsByStatus: [String: Int] = [:]
    /// Citizens holding a handed-over, unexpired card.
    public var citizensWithCard: Int = 0
    /// "notRegistered", "pending", "approved", "active", "locked" → count (no account = notRegistered).
    public var accountsByStatus: [String: Int] = [:]
    /// "1", "2" → active accounts at that level.
    public var activeByLevel: [String: Int] = [:]
    public var stations: [Group] = []
    public var teams: [Group] = []
    /// Activation over time per district of residence (every district of the province's citizens).
    public var activationByDistrict: [ActivationSeries] = []
    /// Activation over time among the citizens each team met (read), per team.
    public var activationByTeam: [ActivationSeries] = []

    public init(province: String? = nil) { self.province = province }

    /// Handed-over cards / eligible citizens.
    public var coverage: Double { eligibleCitizens == 0 ? 0 : Double(citizensWithCard) / Double(eligibleCitizens) }
    /// Active accounts / citizens.
    public var activationRate: Double { citizens == 0 ? 0 : Double(accountsByStatus["active", default: 0]) / Double(citizens) }
}
