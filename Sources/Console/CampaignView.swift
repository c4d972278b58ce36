import Foundation
import Registry

/// The campaign figures `cccd registry stats` reports, with the server's SVG charts of them.
struct CampaignView: Sendable, Encodable {
    struct Figure: Sendable, Encodable {
        var key: String
        var label: Bilingual
        var value: String
    }

    struct Chart: Sendable, Encodable {
        var key: String
        var svg: String
    }

    var available: Bool
    var message: Bilingual?
    var figures: [Figure]
    var charts: [Chart]

    /// The eight largest groups' cumulative rates (a province has about ten districts; more lines
    /// than colours would be unreadable).
    static func lines(_ series: [ActivationSeries], unnamed: String) -> [SVGChart.Line] {
        series.sorted { ($0.citizens, $1.name) > ($1.citizens, $0.name) }.prefix(8).map { g in
            SVGChart.Line(label: g.name.isEmpty ? unnamed : g.name, points: g.months.map { ($0.month, g.rate($0)) })
        }
    }

    static let noRegistry = CampaignView(
        available: false, message: Bilingual("Chưa nối cơ sở dữ liệu: chạy với --store", "No registry: start the console with --store"),
        figures: [], charts: [])

    init(available: Bool, message: Bilingual?, figures: [Figure], charts: [Chart]) {
        self.available = available
        self.message = message
        self.figures = figures
        self.charts = charts
    }

    init(_ s: RegistryStats) {
        available = true
        message = nil
        let n = SVGChart.number
        let active = s.accountsByStatus["active", default: 0]
        figures = [
            Figure(key: "citizens", label: Bilingual("Công dân", "Citizens"), value: n(s.citizens)),
            Figure(key: "eligibleCitizens", label: Bilingual("Đủ tuổi cấp thẻ (≥ 14)", "Eligible (14+)"), value: n(s.eligibleCitizens)),
            Figure(key: "cards", label: Bilingual("Thẻ", "Cards"), value: n(s.cards)),
            Figure(key: "citizensWithCard", label: Bilingual("Đã nhận thẻ còn hạn", "Holding a valid card"), value: n(s.citizensWithCard)),
            Figure(key: "coverage", label: Bilingual("Độ phủ", "Coverage"), value: SVGChart.percent(s.coverage)),
            Figure(key: "vneidActive", label: Bilingual("VNeID đã kích hoạt", "VNeID active"), value: n(active)),
            Figure(key: "activationRate", label: Bilingual("Tỷ lệ kích hoạt", "Activation rate"), value: SVGChart.percent(s.activationRate)),
        ]
        let statusOrder: [(String, String, String)] = [
            ("active", "Đã kích hoạt (active)", "tone-good"), ("approved", "Đã duyệt (approved)", "tone-info"),
            ("pending", "Chờ duyệt (pending)", "tone-warn"), ("locked", "Bị khoá (locked)", "tone-bad"),
            ("notRegistered", "Chưa đăng ký (not registered)", "tone-muted"),
        ]
        let cardOrder: [(String, String, String)] = [
            ("handedOver", "Đã giao (handed over)", "tone-good"), ("verified", "Đã xác minh (verified)", "tone-info"),
            ("printed", "Đã in (printed)", "tone-info"), ("ordered", "Đã đặt (ordered)", "tone-muted"),
            ("expired", "Hết hạn (expired)", "tone-warn"), ("reportedLost", "Báo mất (reported lost)", "tone-warn"),
            ("replaced", "Đã thay (replaced)", "tone-muted"), ("revoked", "Thu hồi (revoked)", "tone-bad"),
        ]
        var cardBars = cardOrder.compactMap { key, label, tone in s.cardsByStatus[key].map { SVGChart.Bar(label: label, value: $0, tone: tone) } }
        for (k, v) in s.cardsByStatus.sorted(by: { $0.key < $1.key }) where !cardOrder.contains(where: { $0.0 == k }) {
            cardBars.append(SVGChart.Bar(label: k, value: v, tone: "tone-muted"))
        }
        let groups = s.teams.map { ("Đội (team) \($0.name)", $0) } + s.stations.map { ("Trạm (station) \($0.name)", $0) }
        charts = [
            Chart(key: "coverage", svg: SVGChart.ring(
                title: "Độ phủ thẻ (card coverage)", ratio: s.coverage,
                caption: "\(n(s.citizensWithCard)) / \(n(s.eligibleCitizens)) công dân đủ tuổi (eligible)")),
            Chart(key: "activation", svg: SVGChart.ring(
                title: "Kích hoạt VNeID (activation)", ratio: s.activationRate,
                caption: "\(n(active)) / \(n(s.citizens)) công dân (citizens)")),
            Chart(key: "vneid", svg: SVGChart.bars(
                title: "Tài khoản VNeID theo trạng thái (accounts by status)",
                statusOrder.map { SVGChart.Bar(label: $0.1, value: s.accountsByStatus[$0.0, default: 0], tone: $0.2) })),
            Chart(key: "levels", svg: SVGChart.bars(
                title: "VNeID đã kích hoạt theo mức (active by level)",
                s.activeByLevel.sorted(by: { $0.key < $1.key }).map { SVGChart.Bar(label: "Mức (level) \($0.key)", value: $0.value, tone: "tone-good") })),
            Chart(key: "cards", svg: SVGChart.bars(title: "Thẻ theo trạng thái (cards by status)", cardBars)),
            Chart(key: "groups", svg: SVGChart.bars(
                title: "Lượt đọc theo đội/trạm (reads per team or station)",
                groups.map { SVGChart.Bar(label: $0.0, value: $0.1.reads, tone: "tone-info") })),
            Chart(key: "activationByDistrict", svg: SVGChart.lines(
                title: "Tỷ lệ kích hoạt VNeID theo huyện, theo tháng (activation by district)",
                Self.lines(s.activationByDistrict, unnamed: "Không rõ huyện (no district)"))),
        ]
        if !s.activationByTeam.isEmpty {
            charts.append(Chart(key: "activationByTeam", svg: SVGChart.lines(
                title: "Kích hoạt trong số công dân đội đã gặp (activation, citizens each team met)",
                Self.lines(s.activationByTeam, unnamed: "—"))))
        }
    }
}
