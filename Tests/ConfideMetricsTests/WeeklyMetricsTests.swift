import ConfideMetrics
import ConfideModel
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// How the store keeps a hand-written id of these tests (its bytes as a BLOB) and so how the
/// metrics hold it: the hex text of its bytes.
func key(_ id: String) -> String { HexBlob.text(Array(id.utf8)) }

/// A store with hand-written rows (ids are already pseudonyms here, stored as the BLOB of their
/// bytes: ``key(_:)``).
func store(_ referrals: [(String, String, String, String?)], _ appointments: [(String, String, String, String, String)]) throws -> Database {
    let db = try Database(path: ":memory:")
    try Schema.migrator.migrate(db)
    for (id, client, received, end) in referrals {
        try db.execute("""
            INSERT INTO referrals (referral_id, client_id, received_date, gender, ethnicity, referral_source, presenting_problem, end_date, end_reason)
            VALUES (CAST(? AS BLOB), CAST(? AS BLOB), ?, 'female', 'white', 'gp', 'depression', ?, ?)
            """, [id, client, received, end, end == nil ? nil : "completed"])
    }
    try db.write { db in
        for (id, referral, therapist, date, status) in appointments {
            try db.execute("""
                INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, 'treatment', ?, 'cbt', 'video')
                """, [id, referral, therapist, date, status])
        }
    }
    return db
}

/// The exact value of a count measure for a group (summing raw contributions to its classes,
/// before any privacy bounding); -1 when the group has no declared cell.
func total(_ release: ExactRelease, _ group: String, _ measureID: String) -> Int {
    let catalogue = release.supervision == nil ? Catalogue.measures : Catalogue.supervisionMeasures
    let measure = catalogue.first { $0.id == measureID }!
    guard case .count(let histogram, let classes) = measure.formula else { return -2 }
    let table = release.tables.first { $0.name == measure.table }!
    let cells = Set(table.cells.indices.filter {
        table.cells[$0].histogram == histogram && classes.contains(table.cells[$0].cls) && table.cells[$0].group == group
    }.map { Int32($0) })
    guard !cells.isEmpty else { return -1 }
    return table.contributions.filter { cells.contains($0.cell) }.map { Int($0.amount) }.reduce(0, +)
}

@Suite struct WeeklyMetricsTests {
    // Week 2026-W10 runs Monday 2026-03-02 to Sunday 2026-03-08.
    let week = ISOWeek("2026-W10")!

    @Test func handComputedWeek() throws {
        let db = try store([
            ("r1", "c1", "2026-03-02", nil),          // received on the Monday: counts
            ("r2", "c2", "2026-03-08", nil),          // received on the Sunday: counts
            ("r3", "c3", "2026-03-09", nil),          // next week: does not count
            ("r4", "c1", "2025-12-01", nil),          // c1's second referral, open
            ("r5", "c4", "2025-10-01", "2026-03-05"), // ended within the week: not active at its end
            ("r6", "c5", "2025-06-01", nil),          // last attended contact 91 days before the end: not active
        ], [
            ("a1", "r4", "T1", "2026-03-03", "attended"),
            ("a2", "r4", "T1", "2026-03-04", "attended_late"),
            ("a3", "r4", "T1", "2026-03-05", "dna"),
            ("a4", "r5", "T2", "2026-03-02", "attended"),
            ("a5", "r1", "T2", "2026-03-08", "cancelled_by_client"),
            ("a6", "r6", "T2", "2025-12-07", "attended"),
            ("a7", "r4", "T2", "2026-03-09", "attended"),  // next week
            ("a8", "r4", "T1", "2026-03-06", "late_not_seen"),
            ("a9", "r2", "T2", "2026-03-07", "cancelled"),  // cancelled, by whom not recorded
        ])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(total(release, "all", "referrals_received") == 2)
        #expect(total(release, "T1", "referrals_received") == -1)  // a new referral has no therapist: no cell
        #expect(total(release, "all", "appointments_attended") == 3)
        #expect(total(release, "T1", "appointments_attended") == -1)  // therapists are released per period, never weekly
        #expect(total(release, "all", "appointments_dna") == 1)
        #expect(total(release, "all", "appointments_cancelled_by_client") == 1)
        #expect(total(release, "all", "appointments_cancelled") == 1)  // neither the client's nor the practice's
        #expect(total(release, "all", "appointments_cancelled_by_practice") == 0)
        #expect(total(release, "all", "active_caseload") == 1)  // only r4 (c1) is open and seen in 90 days

        // The supervision period of a single week (W10): the same appointments by therapist.
        let period = try WeeklyMetrics(db: db, settings: oneWeekPeriods).compute(period: SupervisionPeriod(containing: week, weeks: 1), outcomeWeeks: 1)
        #expect(total(period, "T1", "appointments_attended") == 2)
        #expect(total(period, "T2", "appointments_attended") == 1)
        #expect(total(period, "T1", "clients_seen") == 2)  // c1 twice: bounded to one when protected
        #expect(total(period, "T1", "active_caseload") == 1)
        #expect(total(period, "all", "appointments_attended") == -1)  // no practice cells in a supervision release
    }

    var oneWeekPeriods: MetricSettings {
        var settings = MetricSettings()
        settings.supervisionPeriodWeeks = 1
        return settings
    }

    /// A four-week period (W09-W12) counts every attended appointment of its weeks by therapist,
    /// each client seen (once per appointment before bounding), and the caseload at its last day.
    @Test func aSupervisionPeriodCoversItsWeeksByTherapist() throws {
        let db = try store([("r1", "c1", "2026-01-01", nil), ("r2", "c2", "2026-01-01", "2026-03-20")], [
            ("a1", "r1", "T1", "2026-02-23", "attended"),   // W09, the period's first week
            ("a2", "r1", "T1", "2026-03-22", "attended"),   // W12, its last
            ("a3", "r2", "T1", "2026-03-10", "dna"),
            ("a4", "r2", "T2", "2026-03-11", "attended"),
            ("a5", "r1", "T1", "2026-03-23", "attended"),   // W13: the next period
        ])
        let period = SupervisionPeriod(containing: week, weeks: 4)
        #expect(period.description == "2026-W09/2026-W12")
        let release = try WeeklyMetrics(db: db).compute(period: period, outcomeWeeks: 4)
        #expect(release.label == "2026-W09/2026-W12" && release.period == period.last)
        #expect(total(release, "T1", "appointments_attended") == 2)
        #expect(total(release, "T1", "appointments_dna") == 1)
        #expect(total(release, "T2", "clients_seen") == 1)
        #expect(total(release, "T1", "active_caseload") == 1)  // r1, open at 22 March
        #expect(total(release, "T2", "referrals_ended") == 1)  // r2 ended 20 March, last seen by T2
        #expect(total(release, "T2", "active_caseload") == 0)
        #expect(release.tables.allSatisfy { table in table.cells.allSatisfy { $0.groupType == .therapist } })
        #expect(Set(release.tables[0].histograms.map(\.id)) == ["clients_seen", "appointments", "open_referrals", "endings"])
        #expect(release.tables[0].histograms.first { $0.id == "appointments" }?.cap == 4)
    }

    @Test func activeCaseloadBoundaryIsNinetyDaysInclusive() throws {
        // The week ends 2026-03-08; 90 days inclusive reaches back to 2025-12-09.
        let db = try store([("r1", "c1", "2025-06-01", nil), ("r2", "c2", "2025-06-01", nil)],
                           [("a1", "r1", "T1", "2025-12-09", "attended"), ("a2", "r2", "T1", "2025-12-08", "attended")])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(total(release, "all", "active_caseload") == 1)
    }

    @Test func waitingReferralsAreClassedByDaysSinceReferral() throws {
        // The week ends 2026-03-08: 42 days back is 2026-01-25, 126 days back is 2025-11-02.
        let db = try store([
            ("r1", "c1", "2026-01-25", nil), ("r2", "c2", "2026-01-24", nil),
            ("r3", "c3", "2025-11-02", nil), ("r4", "c4", "2025-11-01", nil),
            ("r5", "c5", "2025-06-01", nil),  // in treatment since February: not waiting
        ], [("a1", "r5", "T1", "2026-02-02", "attended")])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(total(release, "all", "waiting_list") == 4)
        #expect(total(release, "all", "waiting_over_6_weeks") == 3)
        #expect(total(release, "all", "waiting_over_18_weeks") == 1)
        #expect(total(release, "all", "active_caseload") == 1)
        #expect(total(release, "all", "open_no_contact_90_days") == 4)
        // The measures read the two histograms that split an open referral.
        let cells = release.tables[0].cells
        #expect(Set(cells.filter { $0.histogram == "open_referrals" }.map(\.cls)) == Set(Catalogue.openClasses))
        #expect(Set(cells.filter { $0.histogram == "waiting_times" }.map(\.cls)) == Set(Catalogue.waitingTimeClasses))
        #expect(!cells.contains { $0.histogram == "appointments" && $0.cls == "attended_late" })
    }

    @Test func caseloadGoesToTheLatestTherapistAndCountsReferralsOnce() throws {
        let db = try store([("r1", "c1", "2026-01-01", nil)], [
            ("a1", "r1", "T1", "2026-02-01", "attended"),
            ("a2", "r1", "T2", "2026-03-01", "attended"),
            ("a3", "r1", "T2", "2026-03-03", "attended"),
        ])
        let release = try WeeklyMetrics(db: db, settings: oneWeekPeriods).compute(period: SupervisionPeriod(containing: week, weeks: 1), outcomeWeeks: 1)
        #expect(total(release, "T2", "active_caseload") == 1)
        #expect(total(release, "T1", "active_caseload") == 0)
    }

    @Test func contributionsNameDenseClientsNotPseudonyms() throws {
        let db = try store([("r1", "secret-pseudonym", "2026-03-03", nil)], [])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(release.tables[0].contributions.allSatisfy { $0.client == 0 })
        #expect(!String(decoding: release.canonicalBytes, as: UTF8.self).contains("secret-pseudonym"))
    }

    @Test func everyTherapistCellIsDeclaredEvenWhenZero() throws {
        let db = try store([("r1", "c1", "2025-06-01", nil)], [("a1", "r1", "T9", "2026-01-05", "attended")])
        let release = try WeeklyMetrics(db: db).compute(period: SupervisionPeriod(containing: week, weeks: 4), outcomeWeeks: 4)
        #expect(total(release, "T9", "appointments_attended") == 0)
        #expect(release.tables[0].cells.contains { $0.group == "T9" && $0.cls == "dna" })
    }
}
