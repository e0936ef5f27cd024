import ConfideRelease

/// An accessible inline SVG bar chart of one measure across the groups of a breakdown (for
/// example the recovery rate by age band): one horizontal bar a group, its 90% interval as a
/// whisker, its value written beside it, a suppressed group written as `suppressed` (never a
/// zero bar), and an optional dotted, labelled reference line (a national standard).
struct BarChart {
    let title: String
    let bars: [(group: String, cell: ProtectedCell)]
    let referenceLine: (value: Double, label: String)?

    func svg(id: String) -> String {
        let width = 640.0, left = 150.0, right = 140.0, top = 22.0, barHeight = 16.0, gap = 8.0
        let height = top + Double(bars.count) * (barHeight + gap) + 10
        let values = bars.compactMap { $0.cell.intervalHigh ?? $0.cell.value }
        let isRate = bars.first?.cell.isRate ?? false
        let maxValue = isRate ? 100 : max(values.max() ?? 1, referenceLine?.value ?? 0, 1) * 1.1
        func x(_ v: Double) -> Double { left + (width - left - right) * min(v, maxValue) / maxValue }
        func f(_ v: Double) -> String { String(Int(v.rounded())) }
        let h = TextSafety.html
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(f(width)) \(f(height))\" class=\"chart\">"
        svg += "<title id=\"\(id)-t\">\(h(title))</title><desc id=\"\(id)-d\">\(h(description))</desc>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top - 4))\" x2=\"\(f(left))\" y2=\"\(f(height - 6))\" class=\"axis\"/>"
        for (index, bar) in bars.enumerated() {
            let rowTop = top + Double(index) * (barHeight + gap)
            let middle = rowTop + barHeight / 2
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(middle + 4))\" class=\"tick\" text-anchor=\"end\">\(h(Self.shortened(bar.group)))</text>"
            guard let value = bar.cell.value else {
                svg += "<text x=\"\(f(left + 6))\" y=\"\(f(middle + 4))\" class=\"tick\">suppressed</text>"
                continue
            }
            svg += "<rect x=\"\(f(left))\" y=\"\(f(rowTop))\" width=\"\(f(max(x(value) - left, 1)))\" height=\"\(f(barHeight))\" class=\"bar\"/>"
            if let low = bar.cell.intervalLow, let high = bar.cell.intervalHigh, low != high {
                svg += "<line x1=\"\(f(x(low)))\" y1=\"\(f(middle))\" x2=\"\(f(x(high)))\" y2=\"\(f(middle))\" class=\"whisker\"/>"
                svg += "<line x1=\"\(f(x(low)))\" y1=\"\(f(middle - 5))\" x2=\"\(f(x(low)))\" y2=\"\(f(middle + 5))\" class=\"whisker\"/>"
                svg += "<line x1=\"\(f(x(high)))\" y1=\"\(f(middle - 5))\" x2=\"\(f(x(high)))\" y2=\"\(f(middle + 5))\" class=\"whisker\"/>"
            }
            svg += "<text x=\"\(f(width - right + 6))\" y=\"\(f(middle + 4))\" class=\"tick\">\(h(NumberFormat.withInterval(bar.cell)))</text>"
        }
        if let reference = referenceLine {
            svg += "<line x1=\"\(f(x(reference.value)))\" y1=\"\(f(top - 6))\" x2=\"\(f(x(reference.value)))\" y2=\"\(f(height - 6))\" class=\"ref\"/>"
            svg += "<text x=\"\(f(x(reference.value)))\" y=\"\(f(top - 10))\" class=\"tick\" text-anchor=\"middle\">\(h(reference.label))</text>"
        }
        return svg + "</svg>"
    }

    /// The text alternative: every group with its figure, and the reference line.
    var description: String {
        var text = title + ": " + bars.map { "\($0.group) \(NumberFormat.withInterval($0.cell))" }.joined(separator: ", ")
        if let reference = referenceLine { text += "; dotted line: \(reference.label)" }
        return text
    }

    /// A group label that fits beside the bars (the full name is in the text alternative and
    /// the table).
    static func shortened(_ group: String) -> String {
        group.count <= 22 ? group : String(group.prefix(21)) + "…"
    }
}
