import Foundation

/// Server-side SVG charts for the campaign view: plain markup built in Swift, every text escaped,
/// no script and no external reference, so the page can show them under its strict CSP.
enum SVGChart {
    struct Bar: Sendable {
        var label: String
        var value: Int
        /// A CSS class (colour) from the page's style sheet.
        var tone: String
    }

    /// Escapes text for SVG/XML content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var groups: [String] = []
        var rest = Substring(digits)
        while rest.count > 3 {
            groups.insert(String(rest.suffix(3)), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(String(rest), at: 0)
        return (n < 0 ? "-" : "") + groups.joined(separator: ".")
    }

    static func percent(_ x: Double) -> String {
        guard x.isFinite else { return "0 %" }
        return String(format: "%.1f %%", x * 100).replacingOccurrences(of: ".", with: ",")
    }

    /// The most rows a bar chart draws: the largest bars, the rest summed in one last row (a store
    /// may hold any number of teams or stations; the chart stays readable and bounded).
    static let maxBars = 20

    /// Horizontal bars, one per row, scaled to the largest value; the value printed at the end.
    static func bars(title: String, _ all: [Bar], width: Int = 600) -> String {
        var bars = all
        if all.count > maxBars {
            let kept = Set(all.indices.sorted { (all[$0].value, $1) > (all[$1].value, $0) }.prefix(maxBars - 1))
            bars = all.indices.filter(kept.contains).map { all[$0] }
            let rest = all.indices.filter { !kept.contains($0) }
            let sum = rest.reduce(0) { total, i in
                let (next, overflow) = total.addingReportingOverflow(max(0, all[i].value))
                return overflow ? Int.max : next
            }
            bars.append(Bar(label: "… \(rest.count) khác (others)", value: sum, tone: "tone-muted"))
        }
        let rowHeight = 34
        let top = 40
        let labelWidth = 250
        let valueWidth = 90
        let height = top + max(1, bars.count) * rowHeight + 10
        let maxValue = max(1, bars.map(\.value).max() ?? 1)
        let span = width - labelWidth - valueWidth
        var s = header(width: width, height: height, title: title)
        for (i, b) in bars.enumerated() {
            let y = top + i * rowHeight
            let w = b.value <= 0 ? 0 : max(2, Int((Double(b.value) / Double(maxValue) * Double(span)).rounded()))
            s += "<text class=\"label\" x=\"\(labelWidth - 10)\" y=\"\(y + 21)\" text-anchor=\"end\">\(escape(b.label))</text>"
            s += "<rect class=\"track\" x=\"\(labelWidth)\" y=\"\(y + 6)\" width=\"\(span)\" height=\"22\" rx=\"4\"/>"
            s += "<rect class=\"\(escape(b.tone))\" x=\"\(labelWidth)\" y=\"\(y + 6)\" width=\"\(w)\" height=\"22\" rx=\"4\"/>"
            s += "<text class=\"value\" x=\"\(labelWidth + span + 8)\" y=\"\(y + 22)\">\(escape(number(b.value)))</text>"
        }
        if bars.isEmpty {
            s += "<text class=\"label\" x=\"20\" y=\"\(top + 22)\">\(escape("Chưa có dữ liệu (no data yet)"))</text>"
        }
        return s + "</svg>"
    }

    /// One ratio as a ring with the percentage in the middle and a caption below.
    static func ring(title: String, ratio: Double, caption: String, width: Int = 360) -> String {
        let r = 84.0
        let cx = Double(width) / 2
        let cy = 136.0
        let circumference = 2 * Double.pi * r
        let clamped = min(1, max(0, ratio.isFinite ? ratio : 0))
        let filled = circumference * clamped
        var s = header(width: width, height: 262, title: title)
        s += "<circle class=\"track-ring\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"none\" stroke-width=\"22\"/>"
        s += String(format: "<circle class=\"fill-ring\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke-width=\"22\" "
                    + "stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 %.1f %.1f)\"/>", cx, cy, r, filled, circumference, cx, cy)
        s += "<text class=\"big\" x=\"\(cx)\" y=\"\(cy + 9)\" text-anchor=\"middle\">\(escape(percent(clamped)))</text>"
        s += "<text class=\"label\" x=\"\(cx)\" y=\"252\" text-anchor=\"middle\">\(escape(caption))</text>"
        return s + "</svg>"
    }

    /// One group's cumulative ratio by month (`YYYY-MM`); months without a point keep the last value.
    struct Line: Sendable {
        var label: String
        var points: [(month: String, value: Double)]
    }

    /// The longest span of months drawn: a decade, the latest months kept. Bounds the markup
    /// whatever the store holds (a wild clock's year 9999).
    static let maxMonths = 120

    /// Lines of ratios over consecutive months, the y axis from 0 to the largest value rounded up to
    /// a tenth, one colour per line (up to eight, `series-0`…`series-7`), and a legend with each
    /// line's latest value.
    static func lines(title: String, _ lines: [Line], width: Int = 800) -> String {
        let shown = Array(lines.prefix(8))
        let left = 58, right = 20, top = 44, plotHeight = 220
        let legendTop = top + plotHeight + 40
        let height = legendTop + max(1, (shown.count + 1) / 2) * 24 + 8
        var s = header(width: width, height: height, title: title)
        let all = shown.flatMap { $0.points.map(\.month) }.compactMap(monthIndex)
        guard let first = all.min(), let last = all.max() else {
            s += "<text class=\"label\" x=\"20\" y=\"\(top + 22)\">\(escape("Chưa có dữ liệu (no data yet)"))</text>"
            return s + "</svg>"
        }
        let start = max(first, last - maxMonths + 1)
        let count = last - start + 1
        let span = Double(width - left - right)
        func x(_ m: Int) -> Double { Double(left) + (count == 1 ? span / 2 : Double(m - start) / Double(count - 1) * span) }
        let peak = shown.flatMap { $0.points.map(\.value) }.filter(\.isFinite).max() ?? 0
        let yMax = max(0.1, (min(1, max(0, peak)) * 10).rounded(.up) / 10)
        func y(_ v: Double) -> Double { Double(top + plotHeight) - min(1, max(0, v.isFinite ? v : 0)) / yMax * Double(plotHeight) }
        for q in 0...4 {
            let v = yMax * Double(q) / 4
            s += String(format: "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", left, y(v), width - right, y(v))
            s += String(format: "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", left - 6, y(v) + 4) + escape(percent(v)) + "</text>"
        }
        // Month labels: the first, the last, and each January between when there is room.
        var labelled = [start, last]
        if count > 2 { labelled += (start + 1..<last).filter { $0 % 12 == 0 && $0 - start >= 4 && last - $0 >= 4 } }
        for m in Set(labelled).sorted() {
            // The ends are anchored inwards so their labels stay inside the chart.
            let anchor = count == 1 ? "middle" : m == start ? "start" : m == last ? "end" : "middle"
            s += String(format: "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%@\">", x(m), top + plotHeight + 20, anchor)
                + escape(monthLabel(m)) + "</text>"
        }
        for (i, line) in shown.enumerated() {
            var byMonth = [Int: Double]()
            var before = 0.0
            for p in line.points {
                guard let m = monthIndex(p.month) else { continue }
                if m < start { before = max(before, p.value) } else { byMonth[m] = p.value }
            }
            var value = before
            var path = ""
            for m in start...last {
                if let v = byMonth[m] { value = v }
                path += String(format: "%@%.1f,%.1f", path.isEmpty ? "M" : " L", x(m), y(value))
            }
            s += "<path class=\"line series-\(i)\" fill=\"none\" stroke-width=\"3\" d=\"\(path)\"/>"
            let col = i % 2, row = i / 2
            let lx = 20 + col * (width / 2), ly = legendTop + row * 24
            s += "<rect class=\"swatch series-\(i)\" x=\"\(lx)\" y=\"\(ly - 12)\" width=\"18\" height=\"6\" rx=\"2\"/>"
            s += "<text class=\"label\" x=\"\(lx + 26)\" y=\"\(ly)\">\(escape(line.label + ": " + percent(min(1, max(0, value.isFinite ? value : 0)))))</text>"
        }
        return s + "</svg>"
    }

    /// Months since year 0 of a `YYYY-MM` text, nil when it is not one.
    static func monthIndex(_ s: String) -> Int? {
        let u = Array(s.utf8)
        guard u.count == 7, u[4] == UInt8(ascii: "-"), let y = Int(s.prefix(4)), let m = Int(s.suffix(2)), (1...12).contains(m),
              u.enumerated().allSatisfy({ $0.offset == 4 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) }) else { return nil }
        return y * 12 + m - 1
    }

    /// `T6/2023` (Vietnamese month abbreviation, understood by English readers too).
    static func monthLabel(_ index: Int) -> String { "T\(index % 12 + 1)/\(index / 12)" }

    private static func header(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
            + "role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
            + "<text class=\"title\" x=\"10\" y=\"24\">\(escape(title))</text>"
    }
}
