public import ConfidePrivacy

/// The weekly report as one self-contained HTML page: inline CSS and SVG, no scripts, no
/// external resources; real tables with headers; charts with titles and text alternatives;
/// the Okabe-Ito palette, and nothing conveyed by colour alone.
public enum HTMLReport {
    /// Renders the page. Deterministic: the same release and context give the same bytes.
    public static func render(_ release: ProtectedRelease, context: ReportContext) -> String {
        let h = TextSafety.html
        let previous = context.history.last { $0.period < release.period }
        var page = """
        <!DOCTYPE html>
        <html lang="en-GB"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(context.practiceName)): weekly report \(h(release.period))</title>
        <style>\(style)</style></head><body><main>
        <header><h1>\(h(context.practiceName)) — weekly report</h1>
        <p class="period">ISO week \(h(release.period)): \(h(release.periodStart)) to \(h(release.periodEnd))</p></header>
        <section aria-labelledby="headline"><h2 id="headline">This week</h2>
        <p class="note">Figures carry privacy protection; the range in brackets is the 90% interval.</p>
        <table><thead><tr><th scope="col">Measure</th><th scope="col">This week</th><th scope="col">Change on last week</th></tr></thead><tbody>

        """
        for cell in release.cells where cell.groupType == "practice" {
            let before = previous?.practiceCell(cell.measureID)
            page += "<tr><th scope=\"row\">\(h(cell.measureName))</th><td>\(h(NumberFormat.withInterval(cell)))\(suppressionNote(cell))</td><td>\(h(change(cell, before)))</td></tr>\n"
        }
        page += "</tbody></table></section>\n"
        page += trends(release, context: context)
        page += therapistTable(release)
        page += privacyPanel(release, context: context)
        page += """
        <footer><p>Definitions \(h(release.definitionVersion)); confide \(h(context.toolVersion)). Every figure rests on at least \(release.minClients) clients or is shown as suppressed. No client-level data is in this report.</p></footer>
        </main></body></html>

        """
        return page
    }

    static func suppressionNote(_ cell: ProtectedCell) -> String {
        guard cell.status == .suppressed, let reason = cell.reason else { return "" }
        return " <span class=\"why\">(\(TextSafety.html(reason)))</span>"
    }

    static func change(_ cell: ProtectedCell, _ before: ProtectedCell?) -> String {
        guard let now = cell.value, let then = before?.value else { return "—" }
        let delta = now - then
        let sign = delta > 0 ? "+" : delta < 0 ? "−" : "±"
        return sign + NumberFormat.plain(abs(delta), of: cell) + (cell.isRate ? " points" : "")
    }

    static func trends(_ release: ProtectedRelease, context: ReportContext) -> String {
        let weeks = Array((context.history.filter { $0.period < release.period } + [release]).suffix(26))
        var out = "<section aria-labelledby=\"trends\"><h2 id=\"trends\">Trends over the last \(weeks.count) weeks</h2>\n"
        out += "<p class=\"note\">Shaded band: 90% interval. × marks a suppressed week (a gap, not a zero).</p>\n"
        for (index, cell) in release.cells.enumerated() where cell.groupType == "practice" {
            let points = weeks.map { (label: $0.period, cell: $0.practiceCell(cell.measureID)) }
            let chart = TrendChart(title: cell.measureName, points: points, referenceLine: nil)
            out += "<figure>\(chart.svg(id: "c\(index)"))<figcaption>\(TextSafety.html(cell.measureName))</figcaption></figure>\n"
        }
        return out + "</section>\n"
    }

    static func therapistTable(_ release: ProtectedRelease) -> String {
        let cells = release.cells.filter { $0.groupType == "therapist" }
        guard !cells.isEmpty else { return "" }
        var measures: [(String, String)] = []
        for cell in cells where !measures.contains(where: { $0.0 == cell.measureID }) { measures.append((cell.measureID, cell.measureName)) }
        var groups: [String] = []
        for cell in cells where !groups.contains(cell.group) { groups.append(cell.group) }
        let h = TextSafety.html
        var out = "<section aria-labelledby=\"therapists\"><h2 id=\"therapists\">By therapist</h2><div class=\"scroll\"><table>"
        out += "<thead><tr><th scope=\"col\">Therapist</th>" + measures.map { "<th scope=\"col\">\(h($0.1))</th>" }.joined() + "</tr></thead><tbody>\n"
        let index = Dictionary(cells.map { ($0.group + "\u{0}" + $0.measureID, $0) }, uniquingKeysWith: { a, _ in a })
        for group in groups {
            out += "<tr><th scope=\"row\">\(h(group))</th>"
            for (id, _) in measures {
                let cell = index[group + "\u{0}" + id]
                out += "<td>" + (cell.map { h(NumberFormat.withInterval($0)) } ?? "—") + "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }

    static func privacyPanel(_ release: ProtectedRelease, context: ReportContext) -> String {
        let h = TextSafety.html
        let mode = release.mode == .dp ? "differential privacy (exact discrete Laplace noise)" : "disclosure control (suppression and rounding to 5)"
        return """
        <section aria-labelledby="privacy" class="panel"><h2 id="privacy">Privacy</h2><dl>
        <dt>Mode</dt><dd>\(h(mode))</dd>
        <dt>ε spent this release</dt><dd>\(h(release.epsilon))</dd>
        <dt>ε spent in the rolling year</dt><dd>\(h(context.rollingEpsilon)) of \(h(context.epsilonCap))</dd>
        <dt>Minimum clients per cell</dt><dd>\(release.minClients)</dd>
        <dt>Cells suppressed</dt><dd>\(release.suppressedCount) of \(release.cells.count)</dd>
        <dt>Leak audit</dt><dd>passed before publication</dd>
        </dl></section>

        """
    }

    static let style = """
    body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;margin:0}
    main{max-width:980px;margin:0 auto;padding:1rem}
    h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2rem}
    .period,.note,footer{color:#444;font-size:.9rem}
    table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
    thead th{background:#e8f1f8}td{font-variant-numeric:tabular-nums}
    .why{color:#555;font-size:.85rem}.scroll{overflow-x:auto}
    figure{margin:1rem 0}figcaption{font-size:.9rem;color:#333}
    .chart{width:100%;height:auto;max-width:640px}.axis{stroke:#333;stroke-width:1}
    .line{fill:none;stroke:#0072B2;stroke-width:2}.dot{fill:#0072B2}.band{fill:#56B4E9;opacity:.3}
    .ref{stroke:#D55E00;stroke-width:2;stroke-dasharray:6 4}.tick{font-size:11px;fill:#333}.gap{font-size:14px;fill:#D55E00}
    .panel{background:#f6f6f6;padding:.5rem 1rem;border-left:4px solid #009E73}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
    @media print{body{font-size:11pt}main{max-width:none}figure,table{page-break-inside:avoid}@page{size:A4;margin:15mm}}
    """
}
