import CCCD
@testable import Console
import Foundation
import MRTD
import Registry
import Station
import Testing

/// The console's rules without a browser: who may talk to it, the operator token, the SVG escaping,
/// the station-mode classification and the listening rules.
struct ConsoleUnitTests {
    static let token = "unit-test-token"
    static let policy = PeerPolicy(tokenHash: OperatorToken.hash(token), host: "127.0.0.1", port: 8080)

    @Test func loopbackPeersWatchWithoutATokenOthersNeedIt() {
        let p = Self.policy
        let host = "127.0.0.1:8080"
        #expect(p.decide(peer: "127.0.0.1", hostHeader: host, authorization: nil, pageHeader: nil, isPost: false, access: .data) == .allow)
        #expect(p.decide(peer: "::1", hostHeader: "localhost:8080", authorization: nil, pageHeader: nil, isPost: false, access: .data) == .allow)
        #expect(p.decide(peer: "10.0.0.7", hostHeader: host, authorization: nil, pageHeader: nil, isPost: false, access: .data) == .unauthorized)
        #expect(p.decide(peer: nil, hostHeader: host, authorization: nil, pageHeader: nil, isPost: false, access: .data) == .unauthorized)
        #expect(p.decide(peer: "10.0.0.7", hostHeader: host, authorization: "Bearer nope", pageHeader: nil, isPost: false, access: .data) == .unauthorized)
        #expect(p.decide(peer: "10.0.0.7", hostHeader: host, authorization: "Bearer \(Self.token)", pageHeader: nil, isPost: false, access: .data) == .allow)
        // The page shell carries nothing personal: it loads so the page can ask for the token.
        #expect(p.decide(peer: "10.0.0.7", hostHeader: host, authorization: nil, pageHeader: nil, isPost: false, access: .shell) == .allow)
    }

    @Test func actionsNeedTheTokenAndPostsAreCSRFSafe() {
        let p = Self.policy
        let host = "127.0.0.1:8080"
        #expect(p.decide(peer: "127.0.0.1", hostHeader: host, authorization: nil, pageHeader: "1", isPost: true, access: .action) == .unauthorized)
        #expect(p.decide(peer: "127.0.0.1", hostHeader: host, authorization: "Bearer \(Self.token)", pageHeader: nil, isPost: true, access: .action) == .allow)
        // A form posted by another site carries neither the header nor the token.
        #expect(p.decide(peer: "127.0.0.1", hostHeader: host, authorization: nil, pageHeader: nil, isPost: true, access: .data) == .forbidden("POST without the console's header"))
        #expect(p.decide(peer: "127.0.0.1", hostHeader: host, authorization: nil, pageHeader: "1", isPost: true, access: .data) == .allow)
        // DNS rebinding: the right peer, the wrong Host.
        #expect(p.decide(peer: "127.0.0.1", hostHeader: "attacker.example:8080", authorization: nil, pageHeader: nil, isPost: false, access: .data)
                == .forbidden("unexpected Host header"))
        #expect(PeerPolicy.Access.of(path: "/api/readers/r1/hand-over") == .action)
        #expect(PeerPolicy.Access.of(path: "/api/readers/r1/hand-over/") == .action, "the router ignores a trailing slash")
        #expect(PeerPolicy.Access.of(path: "/api/readers/r1//hand-over") == .action)
        #expect(PeerPolicy.Access.of(path: "/photo/ABCDEF") == .shell)
        #expect(PeerPolicy.Access.of(path: "/api/events") == .data)
        #expect(PeerPolicy.Access.of(path: "/api/campaign") == .data)
    }

    @Test func loopbackAddresses() {
        for h in ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"] { #expect(PeerPolicy.isLoopback(host: h), "\(h)") }
        for h in ["0.0.0.0", "192.0.2.2", "10.0.0.1", "::", "fe80::1", "127.0.0", "1270.0.0.1", "example.org"] { #expect(!PeerPolicy.isLoopback(host: h), "\(h)") }
    }

    @Test func tokenIsStoredOnlyAsItsHashOwnerOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("console-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cccd/console-token.sha256").path
        let token = try OperatorToken.create(at: path)
        #expect(token.count == 64)
        let stored = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!stored.contains(token))
        #expect(try OperatorToken.loadHash(from: path) == OperatorToken.hash(token))
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let second = try OperatorToken.create(at: path)
        #expect(second != token)
        #expect(try OperatorToken.loadHash(from: path) == OperatorToken.hash(second))
        try "not a hash".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConsoleError.self) { try OperatorToken.loadHash(from: path) }
        #expect(try OperatorToken.loadHash(from: dir.appendingPathComponent("none").path) == nil)
    }

    @Test func svgTextIsEscaped() {
        let svg = SVGChart.bars(title: "<script>alert(1)</script>", [SVGChart.Bar(label: "a\"b'c&d<e>", value: 3, tone: "x\" onload=\"y")])
        #expect(!svg.contains("<script"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(svg.contains("a&quot;b&#39;c&amp;d&lt;e&gt;"))
        #expect(!svg.contains("onload=\""))
        #expect(SVGChart.escape("\u{01}ok") == "ok")
        #expect(SVGChart.number(754_277) == "754.277")
        #expect(SVGChart.number(12) == "12")
        #expect(SVGChart.percent(0.668) == "66,8 %")
        // Bars are scaled to the largest value; an empty chart says so.
        let two = SVGChart.bars(title: "t", [.init(label: "a", value: 10, tone: "t"), .init(label: "b", value: 5, tone: "t")], width: 600)
        #expect(two.contains("width=\"260\"") && two.contains("width=\"130\""))
        #expect(SVGChart.bars(title: "t", []).contains("Chưa có dữ liệu"))
    }

    @Test func campaignChartsCarryTheStatsNumbers() {
        var s = RegistryStats(province: "035")
        s.citizens = 1000
        s.eligibleCitizens = 800
        s.citizensWithCard = 600
        s.cards = 700
        s.cardsByStatus = ["handedOver": 600, "printed": 100]
        s.accountsByStatus = ["active": 668, "pending": 12, "notRegistered": 320]
        s.activeByLevel = ["1": 400, "2": 268]
        s.teams = [RegistryStats.Group(name: "Đội <1>", reads: 42, citizens: 40)]
        let view = CampaignView(s)
        #expect(view.figures.first { $0.key == "coverage" }?.value == "75,0 %")
        #expect(view.figures.first { $0.key == "activationRate" }?.value == "66,8 %")
        let all = view.charts.map(\.svg).joined()
        #expect(all.contains(">668<") && all.contains(">268<") && all.contains(">42<"))
        #expect(all.contains("Đội &lt;1&gt;"))
        #expect(view.charts.count == 7, "no team series: no team activation chart")
        #expect(view.charts.last?.key == "activationByDistrict" && view.charts.last?.svg.contains("no data yet") == true)
    }

    @Test func activationOverTimeIsALinePerDistrict() throws {
        var s = RegistryStats(province: "035")
        typealias M = ActivationSeries.Month
        s.activationByDistrict = [
            ActivationSeries(name: "Huyện <Kim> Bảng", citizens: 100, months: [M(month: "2022-11", activated: 10, active: 10), M(month: "2023-06", activated: 30, active: 40)]),
            ActivationSeries(name: "", citizens: 4, months: [M(month: "2023-01", activated: 1, active: 1)]),
        ]
        s.activationByTeam = [ActivationSeries(name: "Đội 3", citizens: 10, months: [M(month: "2023-05", activated: 5, active: 5)])]
        let view = CampaignView(s)
        let districts = try #require(view.charts.first { $0.key == "activationByDistrict" }?.svg)
        #expect(districts.components(separatedBy: "<path class=\"line").count == 3)
        // 2022-11 … 2023-06: eight months, each a point of each line.
        let first = try #require(districts.components(separatedBy: " d=\"").dropFirst().first?.prefix { $0 != "\"" })
        #expect(first.components(separatedBy: "L").count == 8)
        #expect(districts.contains("Huyện &lt;Kim&gt; Bảng: 40,0 %") && districts.contains("Không rõ huyện (no district): 25,0 %"))
        #expect(districts.contains(">T11/2022<") && districts.contains(">T6/2023<"))
        #expect(!districts.contains("<script") && !districts.contains("href"))
        #expect(view.charts.contains { $0.key == "activationByTeam" && $0.svg.contains("Đội 3: 50,0 %") })
    }

    @Test func aBarChartStaysBoundedWhateverTheGroups() {
        let bars = (0..<5000).map { SVGChart.Bar(label: "Đội \($0)", value: $0, tone: "tone-info") }
        let svg = SVGChart.bars(title: "t", bars)
        #expect(svg.components(separatedBy: "class=\"label\"").count - 1 == SVGChart.maxBars)
        #expect(svg.contains(">Đội 4999<") && !svg.contains(">Đội 0<"))
        #expect(svg.contains("… 4981 khác (others)") && svg.contains(">\(SVGChart.number((0..<4981).reduce(0, +)))<"))
    }

    @Test func aLineChartStaysBoundedWhateverTheMonths() {
        let wild = SVGChart.Line(label: "x", points: [("0001-01", 0.5), ("9999-12", 2), ("20x3-01", 0.1), ("2023-13", 0.1), (" 2023-1", 0.1)])
        let svg = SVGChart.lines(title: "t", [wild])
        #expect(svg.components(separatedBy: " L").count == SVGChart.maxMonths, "a decade of points, not ten thousand years")
        #expect(svg.contains("x: 100,0 %"), "a ratio above 1 is drawn as 1")
        #expect(SVGChart.monthIndex("2023-13") == nil && SVGChart.monthIndex("+023-01") == nil && SVGChart.monthIndex("2023-06") == 2023 * 12 + 5)
    }

    @Test func listeningBeyondLoopbackNeedsTLSAndAToken() throws {
        var c = ConsoleConfiguration(host: "0.0.0.0", port: 8443, trust: TrustStore())
        #expect(throws: ConsoleError.self) { try c.validate() }
        c.tlsCertificate = "/nonexistent/cert.pem"
        c.tlsKey = "/nonexistent/key.pem"
        #expect(throws: ConsoleError.self) { try c.validate() }  // no token yet
        c.tokenHash = OperatorToken.hash("x")
        try c.validate()
        var local = ConsoleConfiguration(trust: TrustStore())
        try local.validate()
        local.clearAfter = 0
        #expect(throws: ConsoleError.self) { try local.validate() }
        // The certificate is loaded when the server starts: a missing file is a one-line TLS error.
        #expect(throws: ConsoleError.self) { _ = try ConsoleServer.tls(certificate: "/nonexistent/cert.pem", key: "/nonexistent/key.pem") }
    }

    @Test func stationTallyRatePerMinute() {
        var t = StationTally()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        t.add(BatchOutcome(kind: .verified, codes: []), at: t0)
        #expect(t.perMinute(now: t0) == 1)  // at least a one-minute window
        for i in 1...5 { t.add(BatchOutcome(kind: i % 2 == 0 ? .reprint : .verified, codes: []), at: t0.addingTimeInterval(Double(i) * 24)) }
        #expect(t.verified == 4 && t.reprint == 2)
        #expect(t.perMinute(now: t0.addingTimeInterval(120)) == 3)  // 6 cards in 2 minutes
    }
}
