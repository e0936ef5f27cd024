import ConfideModel
import ConfideRelease

/// Gives every chart of a page its own id (for `aria-labelledby`).
struct ChartNumbering {
    private var next = 0

    /// `c0`, `c1`, …
    mutating func id() -> String {
        defer { next += 1 }
        return "c\(next)"
    }
}

/// A national standard drawn on a chart.
struct Standard {
    let value: Double
    let label: String

    /// NHS Talking Therapies: 50% of people who finish treatment at caseness recover.
    static let recovery = Standard(value: 50, label: "national standard 50% recovery")
    /// 75% start treatment within 6 weeks of referral.
    static let sixWeeks = Standard(value: 75, label: "standard 75% within 6 weeks")
    /// 95% start treatment within 18 weeks of referral.
    static let eighteenWeeks = Standard(value: 95, label: "standard 95% within 18 weeks")

    var line: (value: Double, label: String) { (value, label) }
}

extension HTMLReport {
    /// One chart of the trends: its title, its measures (one series each) and a standard.
    struct TrendSpec {
        let title: String
        let measures: [String]
        var standard: Standard? = nil
    }

    /// The trend sections, in the order the practice lead reads them.
    static let trendSections: [(title: String, charts: [TrendSpec])] = [
        ("Referrals and entries to treatment", [
            TrendSpec(title: "Referrals received and entering treatment", measures: ["referrals_received", "entered_treatment"]),
        ]),
        ("Waiting times", [
            TrendSpec(title: "Waiting list and waits over 6 and 18 weeks", measures: ["waiting_list", "waiting_over_6_weeks", "waiting_over_18_weeks"]),
            TrendSpec(title: "Started treatment within 6 weeks (%)", measures: ["waited_6_weeks_rate"], standard: .sixWeeks),
            TrendSpec(title: "Started treatment within 18 weeks (%)", measures: ["waited_18_weeks_rate"], standard: .eighteenWeeks),
        ]),
        ("Attendance and caseload", [
            TrendSpec(title: "DNA rate (%)", measures: ["dna_rate"]),
            TrendSpec(title: "Active caseload", measures: ["active_caseload"]),
        ]),
        ("Recovery and reliable improvement", [
            TrendSpec(title: "Recovery rate (%)", measures: ["recovery_rate"], standard: .recovery),
            TrendSpec(title: "Reliable improvement (%)", measures: ["reliable_improvement_rate"]),
            TrendSpec(title: "Reliable recovery (%)", measures: ["reliable_recovery_rate"]),
        ]),
    ]

    /// Trend charts over the last 26 released weeks: the named sections, then every other
    /// practice-wide measure under "More trends".
    static func trends(_ release: ProtectedRelease, context: ReportContext, charts: inout ChartNumbering) -> String {
        let h = TextSafety.html
        let weeks = Array((context.history.filter { $0.period < release.period } + [release]).suffix(26))
        let practice = release.cells(of: .practice)
        func series(_ id: String) -> TrendChart.Series? {
            guard let cell = practice.first(where: { $0.measureID == id }) else { return nil }
            return TrendChart.Series(name: cell.measureName, cells: weeks.map { $0.practiceCell(id) })
        }
        func figure(_ chart: TrendChart, table: TableName?) -> String {
            var caption = h(chart.title)
            if let table, release.weeksCovered(table) > 1 {
                caption += ". Each point covers the outcome window ending that week (here \(h(weeksCovered(release, table: table))))."
            }
            return "<figure>\(chart.svg(id: charts.id()))<figcaption>\(caption)</figcaption></figure>\n"
        }
        var out = "<section aria-labelledby=\"trends\"><h2 id=\"trends\">Trends over the last \(weeks.count) weeks</h2>\n"
        out += "<p class=\"note\">Shaded band: 90% interval. × marks a suppressed week (a gap, not a zero). Dotted line: a national standard.</p>\n"
        var charted = Set<String>()
        for section in trendSections {
            var body = ""
            for spec in section.charts {
                let lines = spec.measures.compactMap(series)
                guard !lines.isEmpty else { continue }
                charted.formUnion(spec.measures)
                let table = practice.first { spec.measures.contains($0.measureID) }?.table
                body += figure(TrendChart(title: spec.title, weeks: weeks.map(\.period), series: lines, referenceLine: spec.standard?.line), table: table)
            }
            if !body.isEmpty { out += "<h3>\(h(section.title))</h3>\n" + body }
        }
        let others = practice.filter { !charted.contains($0.measureID) }
        if !others.isEmpty {
            out += "<details><summary>More trends (\(others.count) measures)</summary>\n"
            for cell in others {
                let chart = TrendChart(title: cell.measureName, points: weeks.map { (label: $0.period, cell: $0.practiceCell(cell.measureID)) }, referenceLine: nil)
                out += figure(chart, table: cell.table)
            }
            out += "</details>\n"
        }
        return out + "</section>\n"
    }

    /// The breakdowns the equality charts are drawn for.
    static let equalityGroups: Set<GroupType> = [.ageBand, .gender, .ethnicity]

    /// The measures charted by equality group, with their standards.
    static let equalityCharts: [(measure: String, standard: Standard)] = [
        ("recovery_rate", .recovery), ("waited_6_weeks_rate", .sixWeeks), ("waited_18_weeks_rate", .eighteenWeeks),
    ]

    /// Every breakdown (therapist, modality, presenting problem, equality groups, …): charts of
    /// recovery and waits for the equality groups, and one table per breakdown and release table.
    static func breakdowns(_ release: ProtectedRelease, charts: inout ChartNumbering) -> String {
        let h = TextSafety.html
        var groupTypes: [GroupType] = []
        for cell in release.cells where cell.groupType != .practice && !groupTypes.contains(cell.groupType) { groupTypes.append(cell.groupType) }
        guard !groupTypes.isEmpty else { return "" }
        var out = "<section aria-labelledby=\"breakdowns\"><h2 id=\"breakdowns\">Breakdowns</h2>\n"
        out += "<p class=\"note\">Each group is protected on its own: a small group is suppressed, not shown as zero.</p>\n"
        for groupType in groupTypes {
            let label = groupLabel(groupType)
            out += "<h3 id=\"by-\(TextSafety.fileName(groupType.rawValue))\">By \(h(label))</h3>\n"
            if equalityGroups.contains(groupType) {
                for (measure, standard) in equalityCharts {
                    let cells = release.cells.filter { $0.groupType == groupType && $0.measureID == measure }
                    guard let first = cells.first else { continue }
                    let chart = BarChart(title: "\(first.measureName) by \(label)", bars: cells.map { ($0.group, $0) }, referenceLine: standard.line)
                    out += "<figure>\(chart.svg(id: charts.id()))<figcaption>\(h(chart.title)), \(h(weeksCovered(release, table: first.table))). Whiskers: 90% interval.</figcaption></figure>\n"
                }
            }
            for table in tableNames(release) {
                out += breakdownTable(release, groupType: groupType, table: table)
            }
        }
        return out + "</section>\n"
    }

    /// `age band` for `age_band`.
    static func groupLabel(_ groupType: GroupType) -> String {
        groupType.rawValue.split(separator: "_").joined(separator: " ")
    }

    /// One breakdown of one table: a row per group, a column per measure, and the reasons for
    /// any suppressed cell in one line.
    static func breakdownTable(_ release: ProtectedRelease, groupType: GroupType, table: TableName) -> String {
        let cells = release.cells.filter { $0.groupType == groupType && $0.table == table }
        guard !cells.isEmpty else { return "" }
        let h = TextSafety.html
        var measures: [(String, String)] = []
        for cell in cells where !measures.contains(where: { $0.0 == cell.measureID }) { measures.append((cell.measureID, cell.measureName)) }
        var groups: [String] = []
        for cell in cells where !groups.contains(cell.group) { groups.append(cell.group) }
        let index = Dictionary(cells.map { ($0.group + "\u{0}" + $0.measureID, $0) }, uniquingKeysWith: { a, _ in a })
        var out = "<div class=\"scroll\"><table><caption>\(h(tableTitle(table))) by \(h(groupLabel(groupType))): \(h(weeksCovered(release, table: table)))</caption>"
        out += "<thead><tr><th scope=\"col\">\(h(groupLabel(groupType).prefix(1).uppercased() + groupLabel(groupType).dropFirst()))</th>"
        out += measures.map { "<th scope=\"col\">\(h($0.1))</th>" }.joined() + "</tr></thead><tbody>\n"
        for group in groups {
            out += "<tr><th scope=\"row\">\(h(group))</th>"
            for (id, _) in measures {
                out += "<td>" + (index[group + "\u{0}" + id].map { h(NumberFormat.withInterval($0)) } ?? "—") + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        var reasons: [String] = []
        for cell in cells { if let reason = cell.reason, !reasons.contains(reason) { reasons.append(reason) } }
        if !reasons.isEmpty { out += "<p class=\"why\">Suppressed: \(h(reasons.joined(separator: "; "))).</p>\n" }
        return out
    }
}
