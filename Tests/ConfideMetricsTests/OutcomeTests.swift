import ConfideMetrics
import ConfideModel
import ConfideSchema
import ConfideStore
import Testing

/// One referral with treatment sessions and scores, ended on `end`.
private func course(_ db: Database, id: String, client: String, received: String, end: String?, reason: String = "completed",
                    sessions: [String], scores: [(String, String, Int)], therapist: String = "T1") throws {
    try db.execute("""
        INSERT INTO referrals (referral_id, client_id, received_date, age, gender, ethnicity, referral_source, presenting_problem, end_date, end_reason)
        VALUES (CAST(? AS BLOB), CAST(? AS BLOB), ?, 30, 'female', 'white', 'gp', 'depression', ?, ?)
        """, [id, client, received, end, end == nil ? nil : reason])
    try db.write { db in
        for (i, day) in sessions.enumerated() {
            try db.execute("""
                INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, 'treatment', 'attended', 'cbt', 'video')
                """, ["\(id)-a\(i)", id, therapist, day])
        }
    }
    for (day, instrument, score) in scores {
        try db.execute("INSERT INTO measures (referral_key, date, instrument, score) VALUES ((SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, ?)", [id, day, instrument, score])
    }
}

private func emptyStore() throws -> Database {
    let db = try Database(path: ":memory:")
    try Schema.migrator.migrate(db)
    return db
}

/// The classes of the outcomes histogram reached, for the practice.
private func outcomeClasses(_ release: ExactRelease) -> [String: Int] {
    let table = release.tables.first { $0.name == .outcomes }!
    var result: [String: Int] = [:]
    for c in table.contributions where table.cells[Int(c.cell)].groupType == .practice && table.cells[Int(c.cell)].histogram == "outcomes" {
        result[table.cells[Int(c.cell)].cls, default: 0] += Int(c.amount)
    }
    return result
}

@Suite struct OutcomeTests {
    let week = ISOWeek("2026-W10")!  // 2026-03-02 … 2026-03-08

    @Test func recoveryReliableChangeAndEdges() throws {
        let db = try emptyStore()
        // Recovered with reliable improvement: PHQ 16→6 (−10), GAD 12→5 (−7).
        try course(db, id: "r1", client: "c1", received: "2026-01-01", end: "2026-03-05", sessions: ["2026-01-20", "2026-02-20"],
                   scores: [("2026-01-20", "phq9", 16), ("2026-01-20", "gad7", 12), ("2026-02-20", "phq9", 6), ("2026-02-20", "gad7", 5)])
        // Exactly at thresholds: PHQ 10→4 (−6 reliable), GAD 8→7 (below 8 at end): recovered, improved.
        try course(db, id: "r2", client: "c2", received: "2026-01-01", end: "2026-03-06", sessions: ["2026-01-21", "2026-02-21"],
                   scores: [("2026-01-21", "phq9", 10), ("2026-01-21", "gad7", 8), ("2026-02-21", "phq9", 4), ("2026-02-21", "gad7", 7)])
        // Just short: PHQ 15→10 (−5, not reliable; 10 is still caseness): not recovered, no reliable change.
        try course(db, id: "r3", client: "c3", received: "2026-01-01", end: "2026-03-07", sessions: ["2026-01-22", "2026-02-22"],
                   scores: [("2026-01-22", "phq9", 15), ("2026-01-22", "gad7", 7), ("2026-02-22", "phq9", 10), ("2026-02-22", "gad7", 7)])
        // Scores on one date only: unpaired (still at caseness at the start).
        try course(db, id: "r4", client: "c4", received: "2026-01-01", end: "2026-03-08", sessions: ["2026-01-23", "2026-02-23"],
                   scores: [("2026-01-23", "phq9", 20), ("2026-01-23", "gad7", 15)])
        // One treatment session only: not finished.
        try course(db, id: "r5", client: "c5", received: "2026-01-01", end: "2026-03-04", sessions: ["2026-01-24"],
                   scores: [("2026-01-24", "phq9", 20), ("2026-02-01", "phq9", 2)])
        // Not at caseness, deteriorated: PHQ 5→11 (+6), GAD 3→3.
        try course(db, id: "r6", client: "c6", received: "2026-01-01", end: "2026-03-03", sessions: ["2026-01-25", "2026-02-25"],
                   scores: [("2026-01-25", "phq9", 5), ("2026-01-25", "gad7", 3), ("2026-02-25", "phq9", 11), ("2026-02-25", "gad7", 3)])
        // Improved on one measure and deteriorated on the other: no reliable change.
        try course(db, id: "r7", client: "c7", received: "2026-01-01", end: "2026-03-03", sessions: ["2026-01-26", "2026-02-26"],
                   scores: [("2026-01-26", "phq9", 20), ("2026-01-26", "gad7", 2), ("2026-02-26", "phq9", 8), ("2026-02-26", "gad7", 9)])
        // Ended the week after: not in this week's outcomes.
        try course(db, id: "r8", client: "c8", received: "2026-01-01", end: "2026-03-09", sessions: ["2026-01-27", "2026-02-27"],
                   scores: [("2026-01-27", "phq9", 20), ("2026-02-27", "phq9", 2)])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(outcomeClasses(release) == [
            "caseness.improved.recovered": 2, "caseness.no_change.not_recovered": 2, "caseness.unpaired": 1, "not_caseness.deteriorated": 1,
        ])
        #expect(total(release, "all", "finished_treatment") == 6)
        #expect(total(release, "all", "at_caseness") == 5)
        #expect(total(release, "all", "recovered") == 2)
    }

    @Test func waitsAreCountedFromReferralToFirstTreatment() throws {
        let db = try emptyStore()
        // 42 days exactly: within 6 weeks. 43: within 18 weeks. 127: over 18 weeks.
        try course(db, id: "r1", client: "c1", received: "2026-01-01", end: "2026-03-05", sessions: ["2026-02-12", "2026-02-19"], scores: [])
        try course(db, id: "r2", client: "c2", received: "2026-01-01", end: "2026-03-05", sessions: ["2026-02-13", "2026-02-19"], scores: [])
        try course(db, id: "r3", client: "c3", received: "2025-10-28", end: "2026-03-05", sessions: ["2026-03-04", "2026-03-05"], scores: [])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        let table = release.tables[1]
        var waits: [String: Int] = [:]
        for c in table.contributions where table.cells[Int(c.cell)].histogram == "waits" && table.cells[Int(c.cell)].groupType == .practice {
            waits[table.cells[Int(c.cell)].cls, default: 0] += 1
        }
        #expect(waits == ["within_6_weeks": 1, "within_18_weeks": 1, "over_18_weeks": 1])
        // Sessions summed for the mean: 2 + 2 + 2.
        let sessions = table.contributions.filter { table.cells[Int($0.cell)].histogram == "sessions" && table.cells[Int($0.cell)].groupType == .practice }
        #expect(sessions.map(\.amount).reduce(0, +) == 6)
    }

    @Test func finishedCoursesFallInTheSessionCountClassesOfTheMedian() throws {
        let db = try emptyStore()
        let days = (1...25).map { Day(iso: "2026-01-01")!.adding(days: $0).iso }
        try course(db, id: "r1", client: "c1", received: "2025-12-01", end: "2026-03-05", sessions: Array(days.prefix(2)), scores: [])
        try course(db, id: "r2", client: "c2", received: "2025-12-01", end: "2026-03-05", sessions: Array(days.prefix(7)), scores: [])
        try course(db, id: "r3", client: "c3", received: "2025-12-01", end: "2026-03-05", sessions: Array(days.prefix(25)), scores: [])
        try course(db, id: "r4", client: "c4", received: "2025-12-01", end: "2026-03-05", sessions: Array(days.prefix(1)), scores: [])  // not finished
        let release = try WeeklyMetrics(db: db).compute(week: week)
        let table = release.tables[1]
        var counts: [String: Int] = [:]
        for c in table.contributions where table.cells[Int(c.cell)].histogram == "session_counts" {
            #expect(table.cells[Int(c.cell)].groupType == .practice, "the median is practice-wide only")
            counts[table.cells[Int(c.cell)].cls, default: 0] += Int(c.amount)
        }
        #expect(counts == ["2": 1, "7": 1, "20_plus": 1])
        #expect(!table.cells.contains { $0.histogram == "session_counts" && $0.groupType != .practice })
    }

    @Test func windowOfThirteenWeeksForDisclosureControl() throws {
        let db = try emptyStore()
        try course(db, id: "r1", client: "c1", received: "2025-10-01", end: "2025-12-08", sessions: ["2025-10-20", "2025-11-20"], scores: [])  // W50 of 2025: in window
        try course(db, id: "r2", client: "c2", received: "2025-10-01", end: "2025-12-07", sessions: ["2025-10-20", "2025-11-20"], scores: [])  // W49: outside
        let release = try WeeklyMetrics(db: db).compute(week: week, outcomeWeeks: 13)
        #expect(total(release, "all", "finished_treatment") == 1)
        #expect(try WeeklyMetrics(db: db).compute(week: week).tables[1].contributions.isEmpty)
    }

    @Test func core10Settings() throws {
        let db = try emptyStore()
        try course(db, id: "r1", client: "c1", received: "2026-01-01", end: "2026-03-05", sessions: ["2026-01-20", "2026-02-20"],
                   scores: [("2026-01-20", "core10", 18), ("2026-02-20", "core10", 10)])
        var settings = MetricSettings()
        settings.instruments = .core10
        let release = try WeeklyMetrics(db: db, settings: settings).compute(week: week)
        #expect(outcomeClasses(release) == ["caseness.improved.recovered": 1])
        settings.core10Caseness = 19
        #expect(outcomeClasses(try WeeklyMetrics(db: db, settings: settings).compute(week: week)) == ["not_caseness.improved": 1])
    }

    @Test func endingsOpenReferralsAndSecondSessions() throws {
        let db = try emptyStore()
        // Waiting 50 days at the week's end, seen at assessment only → waiting 6-18, contact.
        try db.execute("""
            INSERT INTO referrals (referral_id, client_id, received_date, gender, ethnicity, referral_source, presenting_problem)
            VALUES (CAST('w1' AS BLOB), CAST('cw' AS BLOB), '2026-01-17', 'male', 'asian', 'self', 'gad')
            """)
        try db.write { db in
            try db.execute("""
                INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                VALUES (CAST('w1a' AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST('w1' AS BLOB)), 'T2', '2026-02-01', 'assessment', 'attended', 'cbt', 'phone')
                """)
        }
        // Second treatment session in the week, 35 days after the first.
        try course(db, id: "s1", client: "cs", received: "2026-01-01", end: nil, sessions: ["2026-01-30", "2026-03-06"], scores: [])
        // Ended in the week, dropped out after treatment began.
        try course(db, id: "e1", client: "ce", received: "2026-01-01", end: "2026-03-04", reason: "dropped_out", sessions: ["2026-02-01"], scores: [])
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(total(release, "all", "waiting_list") == 1)
        #expect(total(release, "all", "waiting_over_6_weeks") == 1)
        #expect(total(release, "all", "waiting_over_18_weeks") == 0)
        #expect(total(release, "all", "active_caseload") == 2)  // w1 and s1
        #expect(total(release, "all", "second_treatment_sessions") == 1)
        #expect(total(release, "all", "referrals_ended_dropped_out") == 1)
        #expect(total(release, "all", "entered_treatment") == 0)
    }
}

@Suite struct AgeBandTests {
    @Test func defaultBands() {
        let bands = AgeBands()
        #expect(bands.label(15) == "under_16")
        #expect(bands.label(16) == "16-17")
        #expect(bands.label(18) == "18-25")
        #expect(bands.label(65) == "56-65")
        #expect(bands.label(66) == "66+")
        #expect(bands.label(nil) == "unknown")
    }
}
