import ConfideModel
public import ConfideRelease

/// The weekly report as Markdown, for email.
public enum MarkdownReport {
    /// Renders the report. Deterministic.
    public static func render(_ release: ProtectedRelease, supervision: ProtectedRelease? = nil, caseLists: [ProtectedCaseList] = [],
                              context: ReportContext) -> String {
        let m = TextSafety.markdown
        let previous = context.history.last { $0.period < release.period }
        var out = "# \(m(context.practiceName)): weekly report \(m(release.period))\n\n"
        out += "\(release.periodStart) to \(release.periodEnd). Ranges in brackets are 90% intervals.\n\n"
        out += "| Measure | Figure | Change on last week | Weeks covered |\n|---|---|---|---|\n"
        for cell in release.cells(of: .practice) {
            let shown = NumberFormat.withInterval(cell) + (cell.status == .suppressed ? " (\(cell.reason ?? ""))" : "")
            let covered = HTMLReport.weeksCovered(release, table: cell.table)
            out += "| \(m(cell.measureName)) | \(m(shown)) | \(m(HTMLReport.change(cell, previous?.practiceCell(cell.measureID)))) | \(m(covered)) |\n"
        }
        if let supervision {
            out += "\nThis week closes the supervision period \(supervision.period) (\(supervision.periodStart) to \(supervision.periodEnd)): "
            out += "each therapist's figures are in supervision/ and in caseload.csv and outcomes.csv, "
            out += "\(supervision.cells.count - supervision.suppressedCount) of \(supervision.cells.count) published.\n"
            if let text = CaseListSummary(lists: caseLists).text { out += "\n" + m(text) + "\n" }
        }
        out += "\nPrivacy: mode \(release.mode.rawValue), ε this release \(release.epsilon), rolling year \(context.rollingEpsilon) of \(context.epsilonCap), "
        out += "minimum \(release.minClients) clients per cell, \(release.suppressedCount) of \(release.cells.count) cells suppressed, leak audit passed.\n"
        return out
    }
}
