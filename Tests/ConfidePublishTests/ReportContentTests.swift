import ConfideRelease
import ConfideMetrics
import ConfideModel
import ConfidePrivacy
@testable import ConfidePublish
import ConfideSynth
import Foundation
import Testing

/// A release with an outcomes table over 13 weeks (sdc): waits by age band, one band too
/// small to publish, plus the caseload of `sampleRelease`.
func outcomesRelease(week: String = "2026-W10") -> ProtectedRelease {
    let waits = Catalogue.histogram("waits")!
    let groups: [(GroupType, String, Int)] = [(.practice, "all", 0), (.ageBand, "18-25", 30), (.ageBand, "26-35", 2), (.ageBand, "36-45", 25)]
    var cells: [ClassCell] = []
    for (type, group, _) in groups {
        for cls in ["within_6_weeks", "within_18_weeks"] { cells.append(ClassCell(histogram: "waits", cls: cls, groupType: type, group: group)) }
    }
    var contributions: [Contribution] = []
    var client: Int32 = 0
    for (index, (_, _, count)) in groups.enumerated() where count > 0 {
        for k in 0..<count {
            let cls = k % 3 == 0 ? 1 : 0   // two thirds within 6 weeks
            contributions.append(Contribution(client: client, cell: Int32(cls), amount: 1))                 // practice
            contributions.append(Contribution(client: client, cell: Int32(index * 2 + cls), amount: 1))     // age band
            client += 1
        }
    }
    let table = ExactTable(name: .outcomes, histograms: [waits], cells: cells, contributions: contributions,
                           measures: [Catalogue.measure("finished_treatment")!, Catalogue.measure("waited_6_weeks_rate")!,
                                      Catalogue.measure("waited_18_weeks_rate")!], weeksCovered: 13)
    var sampler = ExactSampler(source: SeededGenerator(seed: 7))
    return Protector(settings: PrivacySettings(mode: .sdc)).protect(ExactRelease(period: ISOWeek(week)!, tables: [table]), sampler: &sampler)
}

@Suite struct ReportContentTests {
    let context = ReportContext(practiceName: "P", history: [], rollingEpsilon: "0", epsilonCap: "220", toolVersion: "test")

    @Test func outcomeRowsStateTheWeeksTheyCover() {
        let release = outcomesRelease()
        #expect(release.weeksCovered["outcomes"] == 13)
        let html = HTMLReport.render(release, context: context)
        #expect(html.contains("<caption>Outcomes: 13 weeks to 2026-03-08</caption>"))
        #expect(html.contains("<th scope=\"col\">Weeks covered</th>"))
        let rows = html.components(separatedBy: "\n").filter { $0.hasPrefix("<tr><th scope=\"row\">") && $0.contains("Started treatment") && !$0.contains("18-25") }
        #expect(rows.count == 2 && rows.allSatisfy { $0.hasSuffix("<td>13 weeks to 2026-03-08</td></tr>") })
        let markdown = MarkdownReport.render(release, context: context)
        #expect(markdown.contains("| Weeks covered |") && markdown.contains("| 13 weeks to 2026-03-08 |"))
    }

    @Test func waitsAreChartedAgainstTheSixAndEighteenWeekStandards() {
        let html = HTMLReport.render(outcomesRelease(), context: context)
        #expect(html.contains("<h3>Waiting times</h3>"))
        #expect(html.contains("standard 75% within 6 weeks") && html.contains("standard 95% within 18 weeks"))
        #expect(html.contains("dotted line: standard 75% within 6 weeks"), "the standard is in the text alternative")
    }

    @Test func equalityGroupsGetBarChartsWithSuppressedGroupsWrittenOut() throws {
        let html = HTMLReport.render(outcomesRelease(), context: context)
        #expect(html.contains("<h3 id=\"by-age_band\">By age band</h3>"))
        let start = try #require(html.range(of: "<h3 id=\"by-age_band\">"))
        let section = String(html[start.lowerBound...])
        let chart = try #require(section.range(of: "<svg role=\"img\"").map { String(section[$0.lowerBound...].prefix { $0 != "\n" }) })
        #expect(chart.contains("<title id=") && chart.contains("<desc id="))
        #expect(chart.contains("Started treatment within 6 weeks (%) by age band: 18-25 "))
        #expect(chart.contains("26-35 suppressed"), "a suppressed group is written, not drawn as zero")
        #expect(chart.contains(">suppressed</text>"))
        #expect(chart.contains("class=\"ref\""))
        #expect(section.contains("<caption>Outcomes by age band: 13 weeks to 2026-03-08</caption>"))
        #expect(section.contains("<p class=\"why\">Suppressed: "))
    }

    @Test func recoveryIsDrawnAgainstTheNationalStandard() {
        let release = outcomesRelease()
        let cells = release.cells.filter { $0.groupType == .practice }
        let chart = TrendChart(title: "Recovery rate (%)", weeks: ["2026-W09", "2026-W10"],
                               series: [.init(name: "Recovery rate (%)", cells: [nil, cells.last])], referenceLine: Standard.recovery.line)
        let svg = chart.svg(id: "r")
        #expect(svg.contains("national standard 50% recovery</text>") && svg.contains("class=\"ref\""))
        #expect(chart.description.contains("1 of 2 weeks published") && chart.description.contains("dotted line: national standard 50% recovery"))
        #expect(HTMLReport.trendSections.contains { $0.charts.contains { $0.measures == ["recovery_rate"] && $0.standard?.value == 50 } })
    }

    @Test func seriesDifferByDashAndMarkerNotColourAlone() {
        let styles = TrendChart.styles
        #expect(Set(styles.map(\.dash)).count == styles.count && Set(styles.map(\.marker)).count == styles.count)
        let release = sampleRelease()
        let cell = release.cells.first
        let chart = TrendChart(title: "t", weeks: ["a"], series: [.init(name: "one", cells: [cell]), .init(name: "two", cells: [cell])], referenceLine: nil)
        let svg = chart.svg(id: "m")
        #expect(svg.contains(">one</text>") && svg.contains(">two</text>"), "a legend in words")
        #expect(svg.contains("stroke-dasharray=\"7 4\"") && svg.contains("<rect"))
    }
}
