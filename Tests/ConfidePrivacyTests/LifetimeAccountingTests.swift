import ConfideMetrics
import ConfideModel
@_spi(Protection) import ConfideRelease
@testable import ConfidePrivacy
import Foundation
import Testing

/// One week of the `endings` histogram, practice only: `others` clients ending `completed`
/// after treatment, plus the added client's endings in the week (`added`, 0 or 1).
private func endingsWeek(_ week: ISOWeek, others: Int, added: Int) -> ExactRelease {
    let histogram = Catalogue.histogram("endings")!
    let cells = histogram.classes.map { ClassCell(histogram: "endings", cls: $0, groupType: .practice, group: "all") }
    let completed = Int32(histogram.classes.firstIndex(of: "completed.taken_on")!)
    var contributions = (0..<others).map { Contribution(client: Int32($0), cell: completed, amount: 1) }
    if added > 0 { contributions.append(Contribution(client: 9_999, cell: completed, amount: 1)) }
    let measures = Catalogue.measures.filter { $0.id == "referrals_ended_completed" }
    return ExactRelease(period: week, tables: [ExactTable(name: .caseload, histograms: [histogram], cells: cells,
                                                          contributions: contributions, measures: measures)])
}

@Suite struct LifetimeAccountingTests {
    /// The split of a whole default release: state slots share epsilon_per_week, event slots
    /// epsilon_per_referral with each slot counted once per event it holds; the charge per kind
    /// is the sum of the slots that hold that kind. Computed here from the catalogue and the
    /// weights, independently of `Budget`.
    @Test func aReleaseSplitsItsTwoBudgetsExactly() throws {
        let settings = PrivacySettings()
        let protector = Protector(settings: settings)
        var tables: [ExactTable] = []
        for table in TableName.allCases {
            let histograms = Catalogue.histograms.filter { $0.table == table }
            var cells: [ClassCell] = []
            for histogram in histograms {
                let breakdowns: [GroupType] = table == .caseload ? [.practice, .therapist] : GroupType.allCases
                for groupType in breakdowns where histogram.isPublished(by: groupType) {
                    for cls in histogram.classes {
                        cells.append(ClassCell(histogram: histogram.id, cls: cls, groupType: groupType, group: groupType == .practice ? "all" : "g"))
                    }
                }
            }
            tables.append(ExactTable(name: table, histograms: histograms, cells: cells, contributions: [],
                                     measures: Catalogue.measures.filter { $0.table == table }))
        }
        let exact = ExactRelease(period: ISOWeek("2026-W10")!, tables: tables)
        var sampler = ExactSampler(source: TestGenerator(state: 1))
        let release = protector.protect(exact, sampler: &sampler)
        var state = 0.0, events = 0.0
        var byKind: [ReferralEvent: Double] = [:]
        for parameters in release.parameters {
            let histogram = try #require(Catalogue.histogram(String(parameters.measureID.split(separator: "/")[0])))
            let epsilon = try #require(parameters.exactEpsilon).value
            if histogram.events.isEmpty { state += epsilon } else { events += epsilon * Double(histogram.events.count) }
            for kind in histogram.events { byKind[kind, default: 0] += epsilon }
        }
        #expect(abs(state - settings.epsilonPerWeek.value) < 1e-12)
        #expect(abs(events - settings.epsilonPerReferral.value) < 1e-12)
        #expect(release.charge.perRelease == settings.epsilonPerWeek)
        #expect(Set(release.charge.perEvent.keys) == Set(ReferralEvent.allCases))
        for (kind, epsilon) in release.charge.perEvent { #expect(abs(epsilon.value - byKind[kind]!) < 1e-12, "\(kind)") }
        #expect(release.charge.eventsPerYear == settings.referralsPerClientYear)
        // A year of weekly releases: 52 state charges and the events of the bounded referrals.
        #expect(abs(settings.worstCaseWeeklyYear - (52 * 1.1 + 2 * 10)) < 1e-9)
        // With a year of supervision releases (19.8 + 4 × 0.25), still under the cap of 100.
        #expect(abs(settings.worstCaseYear - (52 * 1.1 + 2 * 10 + 19.8 + 4 * 0.25)) < 1e-9 && settings.worstCaseYear <= 100)
    }

    /// The whole weekly series of an event histogram, for a client with one referral, moves by
    /// at most e^ε (ε the slot's ε per event), although the series has four releases: the
    /// referral's ending is in one week's cell only (parallel composition across weeks). The
    /// same check on a client counted in every week, as a state figure or a broken event bound
    /// would count them, finds a ratio beyond e^ε: the per-event charge rests on the bound.
    ///
    /// The noise scale is the one `Protector` draws the slot's cells with (checked against the
    /// slot's ε per event); the series is then sampled from the same exact sampler, 20,000
    /// times per scenario, each week's noisy cell bucketed at 16 (post-processing).
    @Test func theSeriesOfAnEventHistogramMovesByAtMostOneEventsEpsilon() throws {
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("1")!, epsilonPerReferral: Epsilon("1")!, minClients: 1)
        var sampler = ExactSampler(source: TestGenerator(state: 30))
        let release = Protector(settings: settings).protect(endingsWeek(ISOWeek("2026-W10")!, others: 15, added: 0), sampler: &sampler)
        let cell = try #require(release.noisyCells.first { $0.cls == "completed.taken_on" })
        #expect(release.charge.perEvent[.ended] == Epsilon("1")!)
        #expect(Epsilon(numerator: UInt64(Catalogue.histogram("endings")!.cap) * cell.s, denominator: cell.t) == Epsilon("1")!)
        func series(addedIn: Set<Int>, seed: UInt64) -> [String: Int] {
            var sampler = ExactSampler(source: TestGenerator(state: seed))
            var counts: [String: Int] = [:]
            for _ in 0..<20_000 {
                let outcome = (0..<4).map { week -> String in
                    let noisy = Int64(15 + (addedIn.contains(week) ? 1 : 0)) + sampler.discreteLaplace(t: cell.t, s: cell.s)
                    return noisy >= 16 ? "1" : "0"
                }.joined()
                counts[outcome, default: 0] += 1
            }
            return counts
        }
        func largestLogRatio(_ a: [String: Int], _ b: [String: Int]) -> (ratio: Double, slack: Double, checked: Int) {
            var worst = 0.0, slack = 0.0, checked = 0
            for (outcome, countA) in a where countA >= 100 {
                guard let countB = b[outcome], countB >= 100 else { continue }
                let ratio = abs(log(Double(countA) / Double(countB)))
                if ratio > worst { worst = ratio; slack = 4 * (1 / Double(countA) + 1 / Double(countB)).squareRoot() }
                checked += 1
            }
            return (worst, slack, checked)
        }
        let without = series(addedIn: [], seed: 31)
        let once = largestLogRatio(series(addedIn: [1], seed: 32), without)
        #expect(once.checked >= 12)
        #expect(once.ratio <= 1 + once.slack, "one ending moved the series by e^\(once.ratio)")
        let everyWeek = largestLogRatio(series(addedIn: [0, 1, 2, 3], seed: 33), without)
        #expect(everyWeek.ratio > 1 + everyWeek.slack, "a client in every week must move the series by more than e^ε: the check has no power")
    }
}
