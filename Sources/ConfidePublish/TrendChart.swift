import ConfideRelease

/// An accessible inline SVG line chart of one or more practice-wide measures over weeks.
/// Suppressed weeks are gaps, never zeros; the 90% interval is a shaded band. Each series has
/// its own dash pattern and marker shape as well as its colour, and a legend in words; an
/// optional reference line (a national standard) is dotted and labelled.
struct TrendChart {
    /// One measure's points, one per week (nil: no cell that week).
    struct Series {
        let name: String
        let cells: [ProtectedCell?]
    }

    let title: String
    /// The week labels, oldest first.
    let weeks: [String]
    let series: [Series]
    let referenceLine: (value: Double, label: String)?

    /// A chart of one measure.
    init(title: String, points: [(label: String, cell: ProtectedCell?)], referenceLine: (value: Double, label: String)?) {
        self.init(title: title, weeks: points.map(\.label), series: [Series(name: title, cells: points.map(\.cell))], referenceLine: referenceLine)
    }

    init(title: String, weeks: [String], series: [Series], referenceLine: (value: Double, label: String)?) {
        self.title = title
        self.weeks = weeks
        self.series = series
        self.referenceLine = referenceLine
    }

    /// Okabe-Ito colours, dash patterns and marker shapes, one per series.
    static let styles: [(colour: String, dash: String, marker: String)] = [
        ("#0072B2", "", "circle"), ("#D55E00", "7 4", "square"), ("#009E73", "2 3", "triangle"),
    ]

    func svg(id: String) -> String {
        let width = 640.0, height = 200.0, left = 44.0, right = 12.0, bottom = 28.0
        let top = series.count > 1 ? 30.0 : 16.0
        let values = series.flatMap { $0.cells.compactMap { $0?.intervalHigh ?? $0?.value } }
        let maxValue = max(values.max() ?? 1, referenceLine?.value ?? 0, 1) * 1.1
        let step = weeks.count > 1 ? (width - left - right) / Double(weeks.count - 1) : 0
        func x(_ i: Int) -> Double { left + Double(i) * step }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - v / maxValue) }
        func f(_ v: Double) -> String { String(Int(v.rounded())) }
        let h = TextSafety.html
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(f(width)) \(f(height))\" class=\"chart\">"
        svg += "<title id=\"\(id)-t\">\(h(title))</title><desc id=\"\(id)-d\">\(h(description))</desc>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(0)))\" class=\"axis\"/>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(0)))\" class=\"tick\" text-anchor=\"end\">0</text>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(maxValue / 1.1) + 4))\" class=\"tick\" text-anchor=\"end\">\(f(maxValue / 1.1))</text>"
        for (index, line) in series.enumerated() {
            let style = Self.styles[index % Self.styles.count]
            let cells = line.cells
            var segments: [[Int]] = [[]]
            for (i, cell) in cells.enumerated() {
                if cell?.value != nil { segments[segments.count - 1].append(i) } else if !segments[segments.count - 1].isEmpty { segments.append([]) }
            }
            for segment in segments where !segment.isEmpty {
                let upper = segment.map { "\(f(x($0))),\(f(y(cells[$0]!.intervalHigh ?? cells[$0]!.value!)))" }
                let lower = segment.reversed().map { "\(f(x($0))),\(f(y(cells[$0]!.intervalLow ?? cells[$0]!.value!)))" }
                svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" class=\"band\" fill=\"\(style.colour)\"/>"
                let dash = style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\""
                svg += "<polyline points=\"\(segment.map { "\(f(x($0))),\(f(y(cells[$0]!.value!)))" }.joined(separator: " "))\" class=\"line\" stroke=\"\(style.colour)\"\(dash)/>"
                for i in segment { svg += Self.marker(style.marker, x: x(i), y: y(cells[i]!.value!), colour: style.colour) }
            }
            for (i, cell) in cells.enumerated() where cell?.value == nil {
                svg += "<text x=\"\(f(x(i)))\" y=\"\(f(y(0) - 4 - 12 * Double(index)))\" class=\"gap\" fill=\"\(style.colour)\" text-anchor=\"middle\">×</text>"
            }
        }
        if series.count > 1 {
            var legendX = left
            for (index, line) in series.enumerated() {
                let style = Self.styles[index % Self.styles.count]
                let dash = style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\""
                svg += "<line x1=\"\(f(legendX))\" y1=\"10\" x2=\"\(f(legendX + 24))\" y2=\"10\" class=\"line\" stroke=\"\(style.colour)\"\(dash)/>"
                svg += Self.marker(style.marker, x: legendX + 12, y: 10, colour: style.colour)
                svg += "<text x=\"\(f(legendX + 28))\" y=\"14\" class=\"tick\">\(h(line.name))</text>"
                legendX += 40 + Double(line.name.count) * 6
            }
        }
        if let reference = referenceLine {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(reference.value)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(reference.value)))\" class=\"ref\"/>"
            svg += "<text x=\"\(f(width - right))\" y=\"\(f(y(reference.value) - 4))\" class=\"tick\" text-anchor=\"end\">\(h(reference.label))</text>"
        }
        if let first = weeks.first { svg += "<text x=\"\(f(left))\" y=\"\(f(height - 8))\" class=\"tick\">\(h(first))</text>" }
        if weeks.count > 1, let last = weeks.last {
            svg += "<text x=\"\(f(width - right))\" y=\"\(f(height - 8))\" class=\"tick\" text-anchor=\"end\">\(h(last))</text>"
        }
        return svg + "</svg>"
    }

    /// The text alternative: per series, how many weeks are published and the latest figure,
    /// and the reference line.
    var description: String {
        var parts: [String] = []
        for line in series {
            let published = line.cells.filter { $0?.value != nil }.count
            var text = "\(line.name): \(published) of \(weeks.count) weeks published"
            if let latest = line.cells.last { text += ", latest " + (latest.map(NumberFormat.withInterval) ?? "not available") }
            parts.append(text)
        }
        if let reference = referenceLine { parts.append("dotted line: \(reference.label)") }
        return parts.joined(separator: "; ")
    }

    static func marker(_ shape: String, x: Double, y: Double, colour: String) -> String {
        func f(_ v: Double) -> String { String(Int(v.rounded())) }
        switch shape {
        case "square": return "<rect x=\"\(f(x - 3))\" y=\"\(f(y - 3))\" width=\"6\" height=\"6\" fill=\"\(colour)\"/>"
        case "triangle": return "<polygon points=\"\(f(x)),\(f(y - 4)) \(f(x - 4)),\(f(y + 3)) \(f(x + 4)),\(f(y + 3))\" fill=\"\(colour)\"/>"
        default: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(colour)\"/>"
        }
    }
}
