import ConfideMetrics
import ConfideModel
import Testing

/// The lifetime bound of the event histograms: in any 52 weeks a client's events of one kind
/// count for at most `referrals_per_client_year` of them.
@Suite struct EventBoundTests {
    let week = ISOWeek("2026-W10")!   // Monday 2026-03-02 to Sunday 2026-03-08

    /// One client whose three referrals all end in the week, and one other client's single
    /// referral: with a bound of 2 the first client's third ending (the largest referral id on
    /// the same day) does not count; without a bound all four do.
    @Test func aClientsEndingsBeyondTheBoundDoNotCount() throws {
        let db = try store([
            ("r1", "c1", "2025-09-01", "2026-03-04"), ("r2", "c1", "2025-10-01", "2026-03-04"), ("r3", "c1", "2025-11-01", "2026-03-04"),
            ("r4", "c2", "2025-09-01", "2026-03-05"),
        ], [])
        var settings = MetricSettings()
        #expect(total(try WeeklyMetrics(db: db, settings: settings).compute(week: week), "all", "referrals_ended_completed") == 4)
        settings.referralsPerClientYear = 2
        #expect(total(try WeeklyMetrics(db: db, settings: settings).compute(week: week), "all", "referrals_ended_completed") == 3)
        settings.referralsPerClientYear = 1
        #expect(total(try WeeklyMetrics(db: db, settings: settings).compute(week: week), "all", "referrals_ended_completed") == 2)
    }

    /// Endings of one client 51 weeks apart share a 52-week window, so with a bound of 1 the
    /// later does not count; 52 weeks apart they do not, and it does.
    @Test func theLookBackIsFiftyOneWeeksBeforeTheEventsWeek() throws {
        let earlier51 = week.adding(weeks: -51).start.iso, earlier52 = week.adding(weeks: -52).end.iso
        var settings = MetricSettings()
        settings.referralsPerClientYear = 1
        let inside = try store([("r1", "c1", "2024-01-01", earlier51), ("r2", "c1", "2025-01-01", "2026-03-04")], [])
        #expect(total(try WeeklyMetrics(db: inside, settings: settings).compute(week: week), "all", "referrals_ended") == 0)
        let outside = try store([("r1", "c1", "2024-01-01", earlier52), ("r2", "c1", "2025-01-01", "2026-03-04")], [])
        #expect(total(try WeeklyMetrics(db: outside, settings: settings).compute(week: week), "all", "referrals_ended") == 1)
    }

    /// Referrals received and treatment started: each kind is bounded on its own events.
    @Test func receivedAndEnteredAreBoundedByKind() throws {
        let db = try store([
            ("r1", "c1", "2026-03-02", nil), ("r2", "c1", "2026-03-03", nil), ("r3", "c1", "2026-03-04", nil),
        ], [
            ("a1", "r1", "T1", "2026-03-05", "attended"), ("a2", "r2", "T1", "2026-03-05", "attended"),
            ("a3", "r3", "T1", "2026-03-06", "attended"),
        ])
        var settings = MetricSettings()
        settings.referralsPerClientYear = 2
        let release = try WeeklyMetrics(db: db, settings: settings).compute(week: week)
        #expect(total(release, "all", "referrals_received") == 2)
        #expect(total(release, "all", "entered_treatment") == 2)
        // Over the whole stream: in no 52-week window does the client count more than twice.
        settings.referralsPerClientYear = nil
        let unbounded = try WeeklyMetrics(db: db, settings: settings).compute(week: week)
        #expect(total(unbounded, "all", "referrals_received") == 3 && total(unbounded, "all", "entered_treatment") == 3)
    }
}
