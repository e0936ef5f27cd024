import ConfideMetrics
import ConfideModel
@testable import ConfidePipeline
import ConfidePrivacy
import Foundation
import Testing

private func entry(_ week: String, state: Double, events: [ReferralEvent: Double], bound: Int = 2) -> LedgerEntry {
    var entry = LedgerEntry(period: week, epsilon: state, delta: 0, created: "")
    entry.epsilonEvents = events
    entry.eventsPerYear = bound
    return entry
}

@Suite struct LedgerWindowTests {
    /// 70 weekly releases of state 1 and events finished 3, ended 2, bound 2: any 52 weeks cost
    /// 52 + 2·3 + 2·2 = 62. A re-release of week 10 charges its state and its events again:
    /// windows holding week 10 cost 53 + (6 + 3) + (4 + 2) = 68, the others still 62.
    @Test func theWorstWindowCountsStateEveryReleaseAndEventsInTheirCostliestWeeks() throws {
        let weeks = (0..<70).map { ISOWeek("2026-W01")!.adding(weeks: $0) }
        var entries = weeks.map { entry($0.description, state: 1, events: [.finished: 3, .ended: 2]) }
        #expect(WindowCharge.of(entries, from: weeks[0]).total == 62)
        #expect(WindowCharge.of(entries, from: weeks[0]).perEvent == 10)
        #expect(try #require(WindowCharge.worst(entries)).total == 62)
        entries.append(entry(weeks[9].description, state: 1, events: [.finished: 3, .ended: 2]))
        #expect(WindowCharge.of(entries, from: weeks[0]).total == 68)
        #expect(WindowCharge.of(entries, from: weeks[10]).total == 62)
        let worst = try #require(WindowCharge.worst(entries))
        #expect(worst.total == 68 && worst.perRelease == 53 && worst.perEvent == 15)
        // Only windows that contain the week, when asked for them.
        #expect(try #require(WindowCharge.worst(entries, containing: weeks[69])).total == 62)
    }

    /// Charges written before lifetime accounting were whole-release charges: they count as
    /// state, week after week.
    @Test func chargesBeforeLifetimeAccountingCountInFull() throws {
        let entries = (0..<52).map { entry(ISOWeek("2025-W01")!.adding(weeks: $0).description, state: 4, events: [:], bound: 0) }
        #expect(try #require(WindowCharge.worst(entries)).total == 208)
    }

    /// The ledger after real weekly runs, against the worst case worked out here from the slot
    /// definitions: three weekly releases of the default settings charge a client 3 × ε_week
    /// for the caseload figures, and for each kind of referral event the two weeks (the bound)
    /// whose ε for that kind is largest; each release's ε for a kind is the sum over the event
    /// slots that hold that kind of ε_ref · w / Σ(w × events per referral).
    @Test func theLedgersWorstCaseMatchesTheSlotDefinitions() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        _ = try ScheduledRun.run(configuration, selection: .backfill(from: practice.lastWeek.adding(weeks: -2)), logger: quiet)
        let workspace = try Workspace(configuration: configuration, logger: quiet)
        let worst = try #require(try workspace.worstYear())

        let settings = configuration.privacy
        // Weekly releases have no therapist slots (those are the supervision releases').
        let breakdowns: [TableName: [GroupType]] = [.caseload: ([.practice] + configuration.metrics.caseloadBreakdowns).filter { $0 != .therapist },
                                                     .outcomes: ([.practice] + configuration.metrics.outcomeBreakdowns).filter { $0 != .therapist }]
        let slots = PrivacySettings.slotIDs.compactMap { id -> (Histogram, UInt64)? in
            let parts = id.split(separator: "/").map(String.init)
            guard let histogram = Catalogue.histogram(parts[0]), !histogram.events.isEmpty,
                  breakdowns[histogram.table]!.contains(GroupType(rawValue: parts[1])!) else { return nil }
            return (histogram, PrivacySettings.defaultWeights[id] ?? 1)
        }
        let eventWeight = Double(slots.map { $0.1 * UInt64($0.0.events.count) }.reduce(0, +))
        var perKind: [ReferralEvent: Double] = [:]
        for (histogram, weight) in slots {
            for kind in histogram.events { perKind[kind, default: 0] += settings.epsilonPerReferral.value * Double(weight) / eventWeight }
        }
        // Three weeks close at most one four-week supervision period: its state ε, and each of
        // its two kinds of event once (its event slots, ended and finished, share ε_ref).
        let weeks = (0..<3).map { practice.lastWeek.adding(weeks: -$0) }
        let periods = weeks.filter { SupervisionPeriod(containing: $0, weeks: 4).isClosed(by: $0) }.count
        let supervision = Double(periods) * (settings.supervisionEpsilonPerPeriod.value + settings.supervisionEpsilonPerReferral.value)
        let expected = 3 * settings.epsilonPerWeek.value + perKind.values.map { Double(settings.referralsPerClientYear) * $0 }.reduce(0, +)
        #expect(abs(worst.total - expected - supervision) < 1e-9)
        #expect(abs(worst.perRelease - 3 * settings.epsilonPerWeek.value - Double(periods) * settings.supervisionEpsilonPerPeriod.value) < 1e-9)
        #expect(abs(expected - (3 * 1.1 + 2 * 10)) < 1e-9)
        let ledger = try workspace.ledgerEntries().filter { !$0.isSupervision }
        #expect(ledger.count == 3)
        #expect(try workspace.ledgerEntries().count == 3 + periods)
        for entry in ledger {
            for (kind, epsilon) in perKind { #expect(abs((entry.epsilonEvents[kind] ?? 0) - epsilon) < 1e-9, "\(kind)") }
        }
    }
}

@Suite struct SupervisionLedgerTests {
    /// Weekly releases (state 1, finished 3, bound 2) and four-week supervision releases (state
    /// 0.5, finished 0.25, bound 4): an event is in one release of each series, so a window
    /// costs 52 × 1 + 13 × 0.5 for state, 2 × 3 for the weekly events and 4 × 0.25 for the
    /// supervision ones, 65.5; counted as one series (top 4 of all), it would be 12 + ..., wrong.
    @Test func eachSeriesCountsItsOwnCostliestEvents() throws {
        let weeks = (0..<104).map { ISOWeek("2027-W01")!.adding(weeks: $0) }
        var entries = weeks.map { entry($0.description, state: 1, events: [.finished: 3]) }
        for week in weeks {
            let period = SupervisionPeriod(containing: week, weeks: 4)
            guard period.isClosed(by: week) else { continue }
            entries.append(entry(period.description, state: 0.5, events: [.finished: 0.25], bound: 4))
        }
        #expect(entries.filter(\.isSupervision).count == 26)
        let worst = try #require(WindowCharge.worst(entries))
        #expect(abs(worst.perRelease - 58.5) < 1e-9)
        #expect(abs(worst.perEvent - 7) < 1e-9)
        #expect(abs(worst.total - 65.5) < 1e-9)
        // The supervision charge falls in the week that closes the period.
        #expect(WindowCharge.of(entries, from: ISOWeek("2027-W05")!).perRelease == 52 + 0.5 * 13)
        #expect(WindowCharge.of(entries, from: ISOWeek("2027-W04")!).perRelease == 52 + 0.5 * 13)
        #expect(WindowCharge.of(entries, from: ISOWeek("2027-W02")!).perRelease == 52 + 0.5 * 13)
    }

    /// The defaults: a year of weekly and supervision releases at most 98, under the cap of 100
    /// (issue 13), worked out from the settings' parts.
    @Test func theDefaultsStayUnderTheCap() {
        let s = PrivacySettings()
        #expect(abs(s.worstCaseWeeklyYear - (52 * 1.1 + 2 * 10)) < 1e-9)
        #expect(abs(s.worstCaseSupervisionYear - (19.8 + 4 * 0.25)) < 1e-9)
        #expect(s.worstCaseYear <= 100)
        #expect(abs(s.supervisionEpsilonPerPeriod.value - 19.8 * 4 / 52) < 1e-12)
        var weekly = s
        weekly.supervisionPeriodWeeks = 1
        #expect(weekly.supervisionEventsPerYear == 2 && abs(weekly.supervisionEpsilonPerPeriod.value - 19.8 / 52) < 1e-12)
    }
}
