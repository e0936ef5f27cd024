import ConfideRelease
import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import Testing

/// A practice-only outcomes table: finished courses with the given numbers of attended sessions.
private func sessionCounts(_ sessions: [Int]) -> ExactRelease {
    let histogram = Catalogue.histogram("session_counts")!
    let cells = histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .practice, group: "all") }
    let contributions = sessions.enumerated().map { client, count in
        Contribution(client: Int32(client), cell: Int32(min(count, histogram.classes.count) - 1), amount: 1)
    }
    let measure = Catalogue.measure("median_treatment_sessions")!
    let table = ExactTable(name: .outcomes, histograms: [histogram], cells: cells, contributions: contributions, measures: [measure])
    return ExactRelease(period: ISOWeek("2026-W10")!, tables: [table])
}

@Suite struct MedianTests {
    @Test func histogramIsPracticeOnlyAndCapsAtTwenty() {
        let histogram = Catalogue.histogram("session_counts")!
        #expect(histogram.isPublished(by: .practice) && !histogram.isPublished(by: .therapist))
        #expect(histogram.classes.first == "1" && histogram.classes.last == "20_plus" && histogram.classes.count == 20)
    }

    @Test(arguments: [
        ([2, 3, 3, 8, 25], 3.0),          // odd: the middle one
        ([2, 2, 6, 6, 6, 9], 6.0),        // even, both middle values 6
        ([2, 2, 2, 6, 6, 6], 2.0),        // even: the lower median (running total reaches 3 of 6 at 2)
        ([4, 4, 4, 4, 30, 30, 30], 4.0),  // 30 sessions count in 20_plus
        ([21, 22, 23, 24, 25], 20.0),     // all in 20_plus
    ])
    func sdcPublishesTheExactMedian(_ sessions: [Int], _ expected: Double) {
        var sampler = ExactSampler(source: TestGenerator(state: 1))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5)).protect(sessionCounts(sessions), sampler: &sampler)
        let cell = value(protected, "all", "median_treatment_sessions")
        #expect(cell.value == expected)
        #expect(cell.status == .published)
    }

    @Test func sdcSuppressesAMedianOfFewerThanMinClients() {
        var sampler = ExactSampler(source: TestGenerator(state: 1))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5)).protect(sessionCounts([3, 4, 5, 6]), sampler: &sampler)
        #expect(value(protected, "all", "median_treatment_sessions").status == .suppressed)
    }

    /// Over seeded releases at the default ε, the noisy median lands within its interval, and
    /// the interval holds the exact median in most releases (it is built from 90% intervals of
    /// the running totals, so it is not an exact 90% interval; at least 80% is asked).
    @Test func dpMedianIsNearTheTruthWithAnIntervalThatUsuallyHoldsIt() {
        var sessions: [Int] = []
        for (count, clients) in [(2, 30), (4, 40), (6, 60), (8, 50), (10, 30), (14, 20), (20, 10)] {
            sessions += Array(repeating: count, count: clients)
        }
        let exact = sessionCounts(sessions)   // 240 courses; 120th and 121st are 6: median 6
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!, minClients: 5)
        var covered = 0, close = 0
        let runs = 200
        for seed in 0..<runs {
            var sampler = ExactSampler(source: TestGenerator(state: UInt64(seed) &+ 11))
            let cell = value(Protector(settings: settings).protect(exact, sampler: &sampler), "all", "median_treatment_sessions")
            guard let median = cell.value, let low = cell.intervalLow, let high = cell.intervalHigh else { Issue.record("suppressed"); return }
            #expect(low <= median && median <= high)
            if low <= 6 && 6 <= high { covered += 1 }
            if abs(median - 6) <= 2 { close += 1 }
        }
        #expect(covered >= runs * 8 / 10, "interval held the exact median in \(covered) of \(runs)")
        #expect(close >= runs * 9 / 10, "median within 2 sessions in \(close) of \(runs)")
    }
}
