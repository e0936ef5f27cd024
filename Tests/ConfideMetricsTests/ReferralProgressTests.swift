@testable import ConfideMetrics
import ConfideModel
import ConfideSchema
import ConfideStore
import ConfideSynth
import Foundation
import Testing

/// `referral_progress` (schema version 11): what the triggers keep after any mix of inserts,
/// changes and deletes is what the attended contacts say (an oracle computed here from the
/// rows themselves) and what the one-pass rebuild writes; and the weekly loader reading it
/// gives every referral the latest contact and treatment start that its history gives, on any
/// day, including days before contacts loaded later.
@Suite struct ReferralProgressTests {
    let statuses = ["attended", "attended_late", "dna", "cancelled_by_client", "scheduled"]
    let kinds = ["assessment", "treatment", "follow_up"]

    /// A store with `referrals` referrals (r00…) of clients c0…c7, and no appointments.
    func emptyPractice(referrals: Int) throws -> Database {
        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db)
        for n in 0..<referrals {
            try db.execute("""
                INSERT INTO referrals (referral_id, client_id, received_date, age, gender, ethnicity, referral_source, presenting_problem)
                VALUES (CAST(? AS BLOB), CAST(? AS BLOB), '2025-06-02', 30, 'female', 'white', 'gp', 'depression')
                """, [referralID(n), "c\(n % 8)"])
        }
        return db
    }

    func referralID(_ n: Int) -> String { n < 10 ? "r0\(n)" : "r\(n)" }

    /// A day in 2025-07 … 2026-04, as the store writes it.
    func day(_ generator: inout SeededGenerator) -> String { Day(year: 2025, month: 7, day: 1)!.adding(days: Int.random(in: 0..<300, using: &generator)).iso }

    /// The rows `referral_progress` holds, as text.
    func progressRows(_ db: Database) throws -> [String] {
        try db.makeStatement("SELECT hex(r.referral_id), first_treatment, second_treatment, last_date, last_kind, last_therapist, last_modality, last_delivery FROM referral_progress p JOIN referrals r USING (referral_key) ORDER BY r.referral_id")
            .map([]) { row in (0..<8).map { row.optionalString($0) ?? "-" }.joined(separator: "|") }
    }

    /// What the rows should be, computed from `appointments` without SQL ordering or windows.
    func expectedRows(_ db: Database) throws -> [String] {
        typealias Contact = (id: [UInt8], date: String, kind: String, therapist: String, modality: String, delivery: String)
        var byReferral: [String: [Contact]] = [:]
        try db.makeStatement("SELECT hex(r.referral_id), appointment_id, date, kind, therapist_id, modality, delivery FROM appointments a JOIN referrals r USING (referral_key) WHERE status IN ('attended', 'attended_late')")
            .forEachRow([]) { row in
                let id = row.withBlob(1) { Array($0) }
                byReferral[row.string(0), default: []].append((id, row.string(2), row.string(3), row.string(4), row.string(5), row.string(6)))
            }
        return byReferral.keys.sorted().map { referral in
            let contacts = byReferral[referral]!.sorted { $0.date != $1.date ? $0.date < $1.date : $0.id.lexicographicallyPrecedes($1.id) }
            let treatment = contacts.filter { $0.kind == "treatment" }
            let last = contacts.last!
            return [referral, treatment.first?.date ?? "-", treatment.dropFirst().first?.date ?? "-", last.date, last.kind, last.therapist,
                    last.modality, last.delivery].joined(separator: "|")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theTriggersKeepWhatTheContactsSayAndTheRebuildWrites(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let db = try emptyPractice(referrals: 24)
        var stored: [String] = []
        func operate(_ step: Int) throws {
            let choice = stored.isEmpty ? 0 : Int.random(in: 0..<10, using: &generator)
            switch choice {
            case 0...4:
                let id = "a\(step)"
                try db.execute("""
                    INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                    VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, ?, ?, ?, 'video')
                    """, [id, referralID(Int.random(in: 0..<24, using: &generator)), "T\(Int.random(in: 1...3, using: &generator))",
                          day(&generator), kinds.randomElement(using: &generator)!, statuses.randomElement(using: &generator)!,
                          ["cbt", "counselling"].randomElement(using: &generator)!])
                stored.append(id)
            case 5, 6:
                try db.execute("UPDATE appointments SET status = ?, seen_run = seen_run + 1 WHERE appointment_id = CAST(? AS BLOB)",
                               [statuses.randomElement(using: &generator)!, stored.randomElement(using: &generator)!])
            case 7:
                try db.execute("UPDATE appointments SET date = ?, kind = ? WHERE appointment_id = CAST(? AS BLOB)",
                               [day(&generator), kinds.randomElement(using: &generator)!, stored.randomElement(using: &generator)!])
            case 8:
                try db.execute("UPDATE appointments SET referral_key = (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)) WHERE appointment_id = CAST(? AS BLOB)",
                               [referralID(Int.random(in: 0..<24, using: &generator)), stored.randomElement(using: &generator)!])
            default:
                let id = stored.remove(at: Int.random(in: 0..<stored.count, using: &generator))
                try db.execute("DELETE FROM appointments WHERE appointment_id = CAST(? AS BLOB)", [id])
            }
        }
        // One write transaction a step, now and then two (the refresh runs once, at the end of each).
        for step in 0..<600 where step % 7 != 3 {
            try db.write { _ in
                try operate(step)
                if step % 7 == 2 { try operate(step + 1) }
            }
            if step % 100 == 99 {
                #expect(try db.scalarInt("SELECT count(*) FROM referral_progress_stale") == 0)
                let kept = try progressRows(db)
                #expect(kept == (try expectedRows(db)), "after step \(step)")
                try db.execute(Schema.referralProgressRebuild)
                #expect(try progressRows(db) == kept, "rebuilt after step \(step)")
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM referral_progress")! > 12)
        // Erasing a referral's contacts removes its row.
        try db.write { db in try db.execute("DELETE FROM appointments WHERE referral_key = (SELECT referral_key FROM referrals WHERE referral_id = CAST('r01' AS BLOB))") }
        #expect(try db.scalarInt("SELECT count(*) FROM referral_progress WHERE referral_key = (SELECT referral_key FROM referrals WHERE referral_id = CAST('r01' AS BLOB))") == 0)
        #expect(try progressRows(db) == (try expectedRows(db)))
    }

    @Test func theLoaderGivesWhatEachHistoryGivesOnAnyDay() throws {
        var generator = SeededGenerator(seed: 7)
        let db = try emptyPractice(referrals: 40)
        try db.write { db in
            for n in 0..<500 {
                try db.execute("""
                    INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                    VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, ?, ?, 'cbt', 'video')
                    """, ["a\(n)", referralID(Int.random(in: 0..<40, using: &generator)), "T\(Int.random(in: 1...3, using: &generator))",
                          day(&generator), kinds.randomElement(using: &generator)!, statuses.randomElement(using: &generator)!])
            }
        }
        let loader = try ReferralFactsLoader(db: db)
        var checked = 0, readFirstTwo = 0, readAll = 0
        for days in stride(from: -10, through: 320, by: 11) {
            let end = Day(year: 2025, month: 7, day: 1)!.adding(days: days)
            let condition = "+r.received_date <= ?1"
            let histories = try loader.load(where: condition, [end.iso], upTo: end, scores: false)
            let progress = try loader.loadProgress(where: condition, [end.iso], upTo: end)
            try #require(progress.count == histories.count)
            for (read, facts) in zip(progress, histories) {
                #expect(read.facts.id == facts.id)
                let last = facts.lastContact(onOrBefore: end)
                #expect(read.last?.day == last?.day && read.last?.therapist == last?.therapist && read.last?.kind == last?.kind,
                        "referral \(facts.id) on \(end.iso)")
                #expect(read.inTreatment == (facts.treatmentSessions.first.map { $0.day <= end } ?? false))
                checked += last == nil ? 0 : 1
            }
            // Treatment starts read sessions only up to each referral's second: the same first two.
            let firstTwo = try loader.load(where: condition, [end.iso], upTo: end, contacts: .firstTwoTreatments, scores: false)
            try #require(firstTwo.count == histories.count)
            for (few, facts) in zip(firstTwo, histories) {
                let sessions = { (f: ReferralFacts) in f.treatmentSessions.prefix(2).map { "\($0.day.iso) \($0.therapist) \($0.modality)" } }
                #expect(sessions(few) == sessions(facts), "referral \(facts.id) on \(end.iso)")
                readFirstTwo += few.treatmentSessions.count
                readAll += facts.treatmentSessions.count
            }
        }
        #expect(checked > 200)
        #expect(readFirstTwo < readAll)  // sessions after the second are not read
    }

    /// Version 14: a week's exact release, data hash included, does not depend on how the
    /// store numbered its referrals. The same rows under reversed numbers give the same bytes,
    /// so a week released before the upgrade (which numbered referrals by received date) is
    /// recognised as unchanged after it.
    @Test func aWeeksExactReleaseDoesNotDependOnTheReferralNumbers() throws {
        let db = try Database(path: ":memory:")
        try randomPractice(db, seed: 11)
        let weeks = [ISOWeek(year: 2025, week: 40)!, ISOWeek(year: 2026, week: 5)!]
        let releases = { try weeks.map { try WeeklyMetrics(db: db).compute(week: $0, outcomeWeeks: 13).canonicalBytes } }
        let before = try releases()
        try db.write { db in
            try db.execute("PRAGMA defer_foreign_keys = ON")
            for table in ["referrals", "appointments", "measures"] {
                try db.execute("UPDATE \(table) SET referral_key = 1000 - referral_key")
            }
        }
        #expect(try db.scalarInt("SELECT min(referral_key) FROM referrals")! > 900)
        #expect(try progressRows(db) == (try expectedRows(db)))
        #expect(try releases() == before)
    }

    /// A week's measures shared between two connections on two threads give the bytes they
    /// give on one; a store that cannot be shared (in memory, a read-only connection) is
    /// computed on one.
    @Test func aWeekOnTwoConnectionsIsTheWeekOnOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("two-connections-\(UInt64.random(in: 0...UInt64.max)).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let db = try Database(path: path)
        try randomPractice(db, seed: 12)
        let metrics = WeeklyMetrics(db: db)
        var compared = 0
        for week in [ISOWeek(year: 2025, week: 30)!, ISOWeek(year: 2025, week: 40)!, ISOWeek(year: 2026, week: 5)!] {
            for outcomeWeeks in [1, 13] {
                let shared = try #require(try metrics.computeOnTwoConnections(week: week, outcomeWeeks: outcomeWeeks))
                let alone = try metrics.computeOnOneConnection(week: week, outcomeWeeks: outcomeWeeks)
                #expect(shared.canonicalBytes == alone.canonicalBytes, "\(week) over \(outcomeWeeks) weeks")
                #expect(alone.canonicalBytes == (try oneBuilder(metrics, week: week, outcomeWeeks: outcomeWeeks)).canonicalBytes)
                #expect(try metrics.compute(week: week, outcomeWeeks: outcomeWeeks).canonicalBytes == alone.canonicalBytes)
                compared += alone.tables.map(\.contributions.count).reduce(0, +)
            }
        }
        #expect(compared > 500)
        // The write lock is held only while the week is computed.
        try db.write { db in try db.execute("UPDATE referrals SET age = age WHERE referral_key = 1") }
        let memory = try Database(path: ":memory:")
        try randomPractice(memory, seed: 12)
        #expect(try WeeklyMetrics(db: memory).computeOnTwoConnections(week: ISOWeek(year: 2025, week: 40)!, outcomeWeeks: 1) == nil)
        let readOnly = try Database(path: path, mode: .readOnly)
        #expect(try WeeklyMetrics(db: readOnly).computeOnTwoConnections(week: ISOWeek(year: 2025, week: 40)!, outcomeWeeks: 1) == nil)
        #expect(try WeeklyMetrics(db: readOnly).compute(week: ISOWeek(year: 2025, week: 40)!).canonicalBytes
                == (try metrics.computeOnOneConnection(week: ISOWeek(year: 2025, week: 40)!).canonicalBytes))
    }

    /// The week as computed before it was shared out in parts: every measure added, in order,
    /// to one builder per table.
    func oneBuilder(_ metrics: WeeklyMetrics, week: ISOWeek, outcomeWeeks: Int) throws -> ExactRelease {
        try metrics.db.read { _ in
            let counts = metrics.eventCounts(upTo: week.end)
            let domains = try metrics.publicDomains(week)
            var caseload = TableBuilder(name: .caseload, breakdowns: metrics.settings.caseloadBreakdowns.filter { $0 != .therapist })
            caseload.declare(domains)
            try metrics.referralsReceived(week, into: &caseload, counts: counts)
            try metrics.appointments(from: week.start, to: week.end, into: &caseload)
            try metrics.openReferrals(at: week.end, into: &caseload)
            try metrics.treatmentStarts(week, into: &caseload, counts: counts)
            try metrics.endings(from: week.start, to: week.end, into: &caseload, counts: counts)
            var outcomes = TableBuilder(name: .outcomes, breakdowns: metrics.settings.outcomeBreakdowns.filter { $0 != .therapist })
            outcomes.declare(domains)
            try metrics.finishedCourses(from: week.adding(weeks: -(outcomeWeeks - 1)).start, to: week.end, into: &outcomes, counts: counts)
            return ExactRelease(period: week, tables: [caseload.build(weeksCovered: 1), outcomes.build(weeksCovered: outcomeWeeks)])
        }
    }

    /// 60 referrals of 60 clients received over two months, 700 contacts at random (any kind
    /// and status) and about 200 scores.
    func randomPractice(_ db: Database, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        try Schema.migrator.migrate(db)
        try db.write { db in
            for n in 0..<60 {
                try db.execute("""
                    INSERT INTO referrals (referral_id, client_id, received_date, age, gender, ethnicity, referral_source, presenting_problem)
                    VALUES (CAST(? AS BLOB), CAST(? AS BLOB), ?, 30, 'female', 'white', 'gp', 'depression')
                    """, [referralID(n), "c\(n)", Day(year: 2025, month: 6, day: 1)!.adding(days: Int.random(in: 0..<60, using: &generator)).iso])
            }
            for n in 0..<700 {
                try db.execute("""
                    INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                    VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, ?, ?, ?, 'cbt', 'video')
                    """, ["a\(n)", referralID(Int.random(in: 0..<60, using: &generator)), "T\(Int.random(in: 1...3, using: &generator))",
                          day(&generator), kinds.randomElement(using: &generator)!, statuses.randomElement(using: &generator)!])
            }
            for n in 0..<200 {
                try db.execute("""
                    INSERT OR IGNORE INTO measures (referral_key, date, instrument, score)
                    VALUES ((SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), ?, 'phq9', ?)
                    """, [referralID(n % 60), day(&generator), Int.random(in: 0...27, using: &generator)])
            }
        }
    }

    /// One attended contact of referral r00, written in its own transaction.
    func attend(_ db: Database, _ id: String, on date: String) throws {
        try db.write { db in
            try db.execute("""
                INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST('r00' AS BLOB)), 'T1', ?, 'treatment', 'attended', 'cbt', 'video')
                """, [id, date])
        }
    }

    /// Version 12: the triggers only note the referral, and only when a column the row is
    /// computed from changes; the note is gone once the transaction commits, and a transaction
    /// that rolls back leaves the table as it was.
    @Test func aReferralIsNotedOnlyWhenItsContactsChangeAndRefreshedAtCommit() throws {
        let db = try emptyPractice(referrals: 2)
        try attend(db, "a1", on: "2025-07-01")
        let stale = "SELECT count(*) FROM referral_progress_stale"
        try db.write { db in
            try db.execute("UPDATE appointments SET duration_minutes = 50, seen_run = 7, status = 'attended'")
            #expect(try db.scalarInt(stale) == 0)
            try db.execute("UPDATE appointments SET date = '2025-07-08'")
            #expect(try db.scalarInt(stale) == 1)
            #expect(try db.scalarString("SELECT last_date FROM referral_progress") == "2025-07-01")  // not yet
        }
        #expect(try db.scalarInt(stale) == 0)
        #expect(try progressRows(db) == (try expectedRows(db)))
        #expect(try db.scalarString("SELECT last_date FROM referral_progress") == "2025-07-08")
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try db.write { db in
                try db.execute("UPDATE appointments SET date = '2025-09-01'")
                throw Refused()
            }
        }
        #expect(try db.scalarInt(stale) == 0)
        #expect(try db.scalarString("SELECT last_date FROM referral_progress") == "2025-07-08")
    }

    /// Contacts written outside `Database.write` leave their referrals noted and not refreshed:
    /// the metrics refuse to compute from the table rather than publish from it.
    @Test func theMetricsRefuseATableNotBroughtUpToDate() throws {
        let db = try emptyPractice(referrals: 2)
        try attend(db, "a1", on: "2025-07-01")
        _ = try ReferralFactsLoader(db: db)
        try db.execute("""
            INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
            VALUES (CAST('a2' AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST('r01' AS BLOB)), 'T1', '2025-07-02', 'treatment', 'attended', 'cbt', 'video')
            """)
        #expect(throws: DatabaseError.self) { try ReferralFactsLoader(db: db) }
        #expect(throws: DatabaseError.self) { try WeeklyMetrics(db: db).compute(week: ISOWeek(year: 2025, week: 27)!) }
    }
}
