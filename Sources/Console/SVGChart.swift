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

    /// Horizontal bars, one per row, scaled to the largest value; the value printed at the end.
    static func bars(title: String, _ bars: [Bar], width: Int = 600) -> String {
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

    private static func header(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
            + "role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
            + "<text class=\"title\" x=\"10\" y=\"24\">\(escape(title))</text>"
    }
}
