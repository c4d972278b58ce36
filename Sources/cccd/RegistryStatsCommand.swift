import ArgumentParser
import Foundation
import Registry

/// `cccd registry stats [--province P] [--json]`: the figures a campaign reports.
struct RegistryStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Campaign figures: cards, coverage, VNeID activation, per station, team and district, by month.")

    @Option(help: "3-digit province code.")
    var province: String?

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print JSON.")
    var json = false

    struct View: Encodable {
        var province: String?
        var citizens: Int
        var eligibleCitizens: Int
        var cards: Int
        var cardsByStatus: [String: Int]
        var coverage: Double
        var vneid: [String: Int]
        var activeByLevel: [String: Int]
        var activationRate: Double
        var stations: [RegistryStats.Group]
        var teams: [RegistryStats.Group]
        var activationByDistrict: [Series]
        var activationByTeam: [Series]
        enum K: String, CodingKey {
            case province, citizens, eligibleCitizens, cards, cardsByStatus, coverage, vneid, activeByLevel, activationRate, stations, teams
            case activationByDistrict, activationByTeam
        }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: K.self)
            try c.encode(province, forKey: .province); try c.encode(citizens, forKey: .citizens)
            try c.encode(eligibleCitizens, forKey: .eligibleCitizens); try c.encode(cards, forKey: .cards)
            try c.encode(cardsByStatus, forKey: .cardsByStatus); try c.encode(coverage, forKey: .coverage); try c.encode(vneid, forKey: .vneid)
            try c.encode(activeByLevel, forKey: .activeByLevel); try c.encode(activationRate, forKey: .activationRate)
            try c.encode(stations, forKey: .stations); try c.encode(teams, forKey: .teams)
            try c.encode(activationByDistrict, forKey: .activationByDistrict); try c.encode(activationByTeam, forKey: .activationByTeam)
        }
    }

    /// One group's activation by month, with the cumulative rate at each month's end.
    struct Series: Encodable {
        struct Month: Encodable {
            var month: String
            var activated: Int
            var active: Int
            var rate: Double
        }
        var name: String
        var citizens: Int
        var months: [Month]

        init(_ s: ActivationSeries) {
            name = s.name
            citizens = s.citizens
            months = s.months.map { Month(month: $0.month, activated: $0.activated, active: $0.active, rate: RegistryStatsCommand.round4(s.rate($0))) }
        }
    }

    static func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

    /// A name from the store as a terminal may show it: control characters (an escape sequence a
    /// device pushed in a team name) become "?".
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            if let p = province, !(p.count == 3 && p.allSatisfy { $0.isASCII && $0.isNumber }) { throw CLIError.usage("--province must be a 3-digit code") }
            let s = try await storeOption.withStore { try await $0.stats(province: province, today: ISODate.day(of: Date())) }
            let round4 = Self.round4
            let view = View(province: province, citizens: s.citizens, eligibleCitizens: s.eligibleCitizens, cards: s.cards, cardsByStatus: s.cardsByStatus,
                            coverage: round4(s.coverage), vneid: s.accountsByStatus, activeByLevel: s.activeByLevel,
                            activationRate: round4(s.activationRate), stations: s.stations, teams: s.teams,
                            activationByDistrict: s.activationByDistrict.map(Series.init), activationByTeam: s.activationByTeam.map(Series.init))
            if json { Output(json: true).printJSON(view); return }
            let f = NumberFormatter()
            f.numberStyle = .decimal
            f.groupingSeparator = ","
            f.usesGroupingSeparator = true
            func n(_ x: Int) -> String { f.string(from: NSNumber(value: x)) ?? String(x) }
            func pct(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
            print("Province \(province ?? "all")" + (province.flatMap { CCCDProvinceName.of($0) }.map { " (\($0))" } ?? ""))
            print("  citizens            \(n(s.citizens)) (eligible \(n(s.eligibleCitizens)))")
            print("  cards               \(n(s.cards))")
            for (k, v) in s.cardsByStatus.sorted(by: { $0.key < $1.key }) { print("    \(k.padding(toLength: 18, withPad: " ", startingAt: 0))\(n(v))") }
            print("  coverage            \(pct(s.coverage)) (citizens with a valid handed-over card / eligible)")
            print("  VNeID accounts")
            for k in ["active", "approved", "pending", "locked", "notRegistered"] { print("    \(k.padding(toLength: 18, withPad: " ", startingAt: 0))\(n(s.accountsByStatus[k] ?? 0))") }
            for (k, v) in s.activeByLevel.sorted(by: { $0.key < $1.key }) { print("    active level \(k)    \(n(v))") }
            print("  activation rate     \(pct(s.activationRate)) (active accounts / citizens)")
            for (title, groups) in [("stations", s.stations), ("teams", s.teams)] where !groups.isEmpty {
                print("  \(title)")
                for g in groups { print("    \(Self.printable(g.name)): \(n(g.reads)) reads, \(n(g.citizens)) citizens") }
            }
            // The latest rate and the last months' activations, one line per group.
            for (title, series, unnamed) in [("activation by district", s.activationByDistrict, "(no district in the address)"),
                                             ("activation among the citizens each team met", s.activationByTeam, "(unnamed team)")]
            where !series.isEmpty {
                print("  \(title)")
                for g in series {
                    let last = g.months.last
                    let recent = g.months.suffix(3).map { "\($0.month) +\(n($0.activated))" }.joined(separator: ", ")
                    print("    \(g.name.isEmpty ? unnamed : Self.printable(g.name)): \(pct(last.map(g.rate) ?? 0)) of \(n(g.citizens))"
                          + (recent.isEmpty ? "" : " (\(recent))"))
                }
            }
        }
    }
}

import CCCD
enum CCCDProvinceName {
    static func of(_ code: String) -> String? { Province.names[code] }
}
