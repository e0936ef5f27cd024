import ConfideModel
public import ConfideRelease

/// The weekly report as one self-contained HTML page: inline CSS and SVG, no scripts, no
/// external resources; real tables with headers; charts with titles and text alternatives;
/// the Okabe-Ito palette, and nothing conveyed by colour alone.
public enum HTMLReport {
    /// Renders the page. Deterministic: the same release and context give the same bytes.
    /// With `supervision`, the therapist release of the period the week closes, a panel says
    /// where its figures are.
    public static func render(_ release: ProtectedRelease, supervision: ProtectedRelease? = nil, caseLists: [ProtectedCaseList] = [],
                              context: ReportContext) -> String {
        let h = TextSafety.html
        var page = """
        <!DOCTYPE html>
        <html lang="en-GB"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(context.practiceName)): weekly report \(h(release.period))</title>
        <style>\(style)</style></head><body><main>
        <header><h1>\(h(context.practiceName)) — weekly report</h1>
        <p class="period">ISO week \(h(release.period)): \(h(release.periodStart)) to \(h(release.periodEnd))</p></header>

        """
        page += headline(release, context: context)
        var charts = ChartNumbering()
        page += trends(release, context: context, charts: &charts)
        page += breakdowns(release, charts: &charts)
        if let supervision { page += supervisionPanel(supervision, caseLists: caseLists) }
        page += privacyPanel(release, context: context)
        page += """
        <footer><p>Definitions \(h(release.definitionVersion)); confide \(h(context.toolVersion)). Every figure rests on at least \(release.minClients) clients or is shown as suppressed. No client-level data is in this report.</p></footer>
        </main></body></html>

        """
        return page
    }

    /// The practice-wide figures: one table per release table (caseload for the week, outcomes
    /// over their window), each row with its interval, the change on last week and the weeks
    /// it covers.
    static func headline(_ release: ProtectedRelease, context: ReportContext) -> String {
        let h = TextSafety.html
        let previous = context.history.last { $0.period < release.period }
        var out = "<section aria-labelledby=\"headline\"><h2 id=\"headline\">This week</h2>\n"
        out += "<p class=\"note\">Figures carry privacy protection; the range in brackets is the 90% interval. Outcome figures cover a window of weeks, stated on each row.</p>\n"
        for table in tableNames(release) {
            let cells = release.cells.filter { $0.table == table && $0.groupType == .practice }
            guard !cells.isEmpty else { continue }
            let covered = weeksCovered(release, table: table)
            out += "<table><caption>\(h(tableTitle(table))): \(h(covered))</caption>"
            out += "<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Figure</th><th scope=\"col\">Change on last week</th><th scope=\"col\">Weeks covered</th></tr></thead><tbody>\n"
            for cell in cells {
                let before = previous?.practiceCell(cell.measureID)
                out += "<tr><th scope=\"row\">\(h(cell.measureName))</th><td>\(h(NumberFormat.withInterval(cell)))\(suppressionNote(cell))</td><td>\(h(change(cell, before)))</td><td>\(h(covered))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }

    /// The tables of `release` in publication order.
    static func tableNames(_ release: ProtectedRelease) -> [TableName] {
        var names: [TableName] = []
        for cell in release.cells where !names.contains(cell.table) { names.append(cell.table) }
        return names
    }

    /// `Caseload` or `Outcomes`.
    static func tableTitle(_ table: TableName) -> String {
        table.rawValue.prefix(1).uppercased() + table.rawValue.dropFirst()
    }

    /// `this week`, or `13 weeks to 2026-11-22` for a table whose figures cover a window.
    static func weeksCovered(_ release: ProtectedRelease, table: TableName) -> String {
        let weeks = release.weeksCovered(table)
        return weeks <= 1 ? "this week" : "\(weeks) weeks to \(release.periodEnd)"
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

    /// The supervision period the week closes: where its therapist figures are and how many are
    /// published (no therapist's figure is shown here).
    static func supervisionPanel(_ supervision: ProtectedRelease, caseLists: [ProtectedCaseList] = []) -> String {
        let h = TextSafety.html
        let therapists = Set(supervision.cells.map(\.group)).count
        let published = supervision.cells.count - supervision.suppressedCount
        let privacy = supervision.mode == .dp ? "; ε \(supervision.epsilon) for the period's caseload figures" : ""
        return """
        <section aria-labelledby="supervision" class="panel"><h2 id="supervision">Supervision period</h2>
        <p>This week closes the supervision period \(h(supervision.period)) (\(h(supervision.periodStart)) to \(h(supervision.periodEnd))). Each therapist's figures for it are in <code>supervision/</code> (\(therapists) files) and in this week's <code>caseload.csv</code> and <code>outcomes.csv</code>: \(published) of \(supervision.cells.count) figures published, the rest suppressed as too uncertain or resting on too few clients\(h(privacy)). Outcomes cover the finished courses of the 52 weeks to the period's end (from \(h(supervision.periodStart(of: .outcomes))) while fewer periods are released).</p>\(CaseListSummary(lists: caseLists).text.map { "\n<p>" + h($0) + "</p>" } ?? "")
        </section>

        """
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
    .line{fill:none;stroke-width:2}.band{opacity:.18}.bar{fill:#56B4E9;stroke:#0072B2}.whisker{stroke:#1a1a1a;stroke-width:1.5}
    .ref{stroke:#1a1a1a;stroke-width:1.5;stroke-dasharray:2 3}.tick{font-size:11px;fill:#333}.gap{font-size:14px}
    caption{text-align:left;font-weight:600;padding:.3rem 0}h3{font-size:1.05rem;margin-top:1.5rem}
    details{margin:1rem 0}summary{cursor:pointer;font-weight:600}
    .panel{background:#f6f6f6;padding:.5rem 1rem;border-left:4px solid #009E73}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
    @media print{body{font-size:11pt}main{max-width:none}figure,table{page-break-inside:avoid}@page{size:A4;margin:15mm}}
    """
}
