import ConfideMetrics
import ConfideModel
import ConfideStore
import Testing

/// A client the practice marked `restricted` counts in practice-wide figures only: no
/// breakdown and no supervision release holds them.
@Suite struct RestrictedClientTests {
    let week = ISOWeek("2026-W10")!

    @Test func aRestrictedClientCountsForThePracticeOnly() throws {
        let db = try store([
            ("r1", "c1", "2026-01-05", nil),
            ("r2", "c2", "2026-01-05", nil),
            ("r3", "c2", "2025-06-01", "2025-09-01"),  // c2's earlier referral carries the mark
        ], [
            ("a1", "r1", "T1", "2026-03-03", "attended"),
            ("a2", "r2", "T1", "2026-03-04", "attended"),
            ("a3", "r2", "T1", "2026-03-05", "attended"),
        ])
        var weekly = MetricSettings()
        weekly.caseloadBreakdowns = [.modality, .delivery, .gender]
        let before = try WeeklyMetrics(db: db, settings: weekly).compute(week: week)
        #expect(total(before, "all", "appointments_attended") == 3)
        #expect(total(before, "cbt", "appointments_attended") == 3)
        try db.execute("UPDATE referrals SET restricted = 1 WHERE referral_id = CAST('r3' AS BLOB)")
        let release = try WeeklyMetrics(db: db, settings: weekly).compute(week: week)
        #expect(total(release, "all", "appointments_attended") == 3)
        #expect(total(release, "cbt", "appointments_attended") == 1)
        #expect(total(release, "video", "appointments_attended") == 1)
        #expect(total(release, "all", "active_caseload") == 2)
        #expect(total(release, "female", "active_caseload") == 1)

        var settings = MetricSettings()
        settings.supervisionPeriodWeeks = 1
        let period = try WeeklyMetrics(db: db, settings: settings).compute(period: SupervisionPeriod(containing: week, weeks: 1), outcomeWeeks: 1)
        #expect(total(period, "T1", "appointments_attended") == 1)
        #expect(total(period, "T1", "clients_seen") == 1)
        #expect(total(period, "T1", "active_caseload") == 1)
        // Not in the no-contact group of a contact breakdown either.
        #expect(total(period, Group.noContactName, "active_caseload") <= 0)
    }

    /// Case lists hold every case of a therapist open in the period, but never a restricted
    /// client's, marked on any of its referrals.
    @Test func aRestrictedClientIsOnNoCaseList() throws {
        let db = try store([
            ("r1", "c1", "2026-01-05", nil),
            ("r2", "c2", "2026-01-05", nil),
            ("r3", "c2", "2025-06-01", "2025-09-01"),
        ], [
            ("a1", "r1", "T1", "2026-03-03", "attended"),
            ("a2", "r2", "T1", "2026-03-04", "attended"),
        ])
        let period = SupervisionPeriod(containing: week, weeks: 4)
        #expect(try WeeklyMetrics(db: db).cases(period: period).map(\.referral) == [key("r1"), key("r2")])
        try db.execute("UPDATE referrals SET restricted = 1 WHERE referral_id = CAST('r3' AS BLOB)")
        let cases = try WeeklyMetrics(db: db).cases(period: period)
        #expect(cases.map(\.referral) == [key("r1")])
        #expect(cases.first?.therapist == "T1" && cases.first?.sessionsAttended == 1)
    }
}
