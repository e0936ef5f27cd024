import ConfidePrivacy

/// An accessible inline SVG line chart of one practice-wide measure over weeks. Suppressed
/// weeks are gaps, never zeros; the 90% interval is a shaded band.
struct TrendChart {
    let title: String
    let points: [(label: String, cell: ProtectedCell?)]
    let referenceLine: (value: Double, label: String)?

    func svg(id: String) -> String {
        let width = 640.0, height = 200.0, left = 44.0, right = 12.0, top = 16.0, bottom = 28.0
        let values = points.compactMap { $0.cell?.intervalHigh ?? $0.cell?.value }
        let maxValue = max(values.max() ?? 1, referenceLine?.value ?? 0, 1) * 1.1
        let step = points.count > 1 ? (width - left - right) / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { left + Double(i) * step }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - v / maxValue) }
        func f(_ v: Double) -> String { String(Int(v.rounded())) }
        var segments: [[Int]] = [[]]
        for (i, point) in points.enumerated() {
            if point.cell?.value != nil { segments[segments.count - 1].append(i) } else if !segments[segments.count - 1].isEmpty { segments.append([]) }
        }
        let published = points.filter { $0.cell?.value != nil }.count
        let description = "\(title): \(published) of \(points.count) weeks published"
            + (points.last?.cell.map { ", latest \(NumberFormat.withInterval($0))" } ?? "")
        var svg = "<svg role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(f(width)) \(f(height))\" class=\"chart\">"
        svg += "<title id=\"\(id)-t\">\(TextSafety.html(title))</title><desc id=\"\(id)-d\">\(TextSafety.html(description))</desc>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(0)))\" class=\"axis\"/>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(0)))\" class=\"tick\" text-anchor=\"end\">0</text>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(maxValue / 1.1) + 4))\" class=\"tick\" text-anchor=\"end\">\(f(maxValue / 1.1))</text>"
        for segment in segments where !segment.isEmpty {
            let upper = segment.map { "\(f(x($0))),\(f(y(points[$0].cell!.intervalHigh ?? points[$0].cell!.value!)))" }
            let lower = segment.reversed().map { "\(f(x($0))),\(f(y(points[$0].cell!.intervalLow ?? points[$0].cell!.value!)))" }
            svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" class=\"band\"/>"
            svg += "<polyline points=\"\(segment.map { "\(f(x($0))),\(f(y(points[$0].cell!.value!)))" }.joined(separator: " "))\" class=\"line\"/>"
            for i in segment { svg += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(points[i].cell!.value!)))\" r=\"3\" class=\"dot\"/>" }
        }
        for (i, point) in points.enumerated() where point.cell?.value == nil {
            svg += "<text x=\"\(f(x(i)))\" y=\"\(f(y(0) - 4))\" class=\"gap\" text-anchor=\"middle\">×</text>"
        }
        if let reference = referenceLine {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(reference.value)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(reference.value)))\" class=\"ref\"/>"
            svg += "<text x=\"\(f(width - right))\" y=\"\(f(y(reference.value) - 4))\" class=\"tick\" text-anchor=\"end\">\(TextSafety.html(reference.label))</text>"
        }
        if let first = points.first { svg += "<text x=\"\(f(left))\" y=\"\(f(height - 8))\" class=\"tick\">\(TextSafety.html(first.label))</text>" }
        if points.count > 1, let last = points.last {
            svg += "<text x=\"\(f(width - right))\" y=\"\(f(height - 8))\" class=\"tick\" text-anchor=\"end\">\(TextSafety.html(last.label))</text>"
        }
        return svg + "</svg>"
    }
}
