import ConfideMetrics
import ConfideModel
@testable import ConfideSchema
import ConfideStore
import Testing

/// Schema version 8 (`version8_weekly`) only adds and rebuilds indexes, and version 10 only
/// turns the hex keys into BLOBs: a store migrated through them gives the exact release of a
/// store written at the latest version, byte for byte, and the week's statements use the
/// indexes.
@Suite struct WeeklyIndexesTests {
    let week = ISOWeek("2026-W10")!

    /// A hand-written id as a pseudonym of the shape the store held before version 10: 32 hex
    /// digits (its bytes, padded with zeros, so that the ids keep their order).
    static func pseudonym(_ id: String) -> String {
        let digits = HexBlob.text(Array(id.utf8))
        return digits + String(repeating: "0", count: 32 - digits.count)
    }

    /// A store with endings, finished courses with scores, a restricted client, two attended
    /// contacts of one referral on one day, and treatment starts: at schema version 7 with hex
    /// text keys (`version` 7), or at the latest version with BLOB keys (nil).
    func practiceStore(version: Int? = 7) throws -> Database {
        let db = try Database(path: ":memory:")
        if let version {
            try Migrator(steps: Array(Schema.migrator.steps.prefix(version))).migrate(db)
            #expect(try db.scalarInt("PRAGMA user_version") == version)
        } else {
            try Schema.migrator.migrate(db)
        }
        let key = { (id: String) -> DatabaseValue in version == nil ? .blob(hex: Self.pseudonym(id)) : .text(Self.pseudonym(id)) }
        // Appointments and scores point at their referral's integer key since version 14.
        let (column, referralOf) = version == nil ? ("referral_key", "(SELECT referral_key FROM referrals WHERE referral_id = ?)") : ("referral_id", "?")
        let referrals: [(String, String, String, String?, Int)] = [
            ("r1", "c1", "2025-11-03", "2026-03-04", 0),  // ends in the week after four sessions
            ("r2", "c2", "2025-12-01", nil, 0),           // open, two contacts on one day
            ("r3", "c3", "2026-03-02", nil, 0),           // received in the week
            ("r4", "c4", "2025-10-01", "2026-03-08", 0),  // ends on the Sunday, one session
            ("r5", "c5", "2026-01-05", nil, 1),           // restricted client
            ("r6", "c5", "2025-02-01", "2025-06-01", 0),  // the restricted client's earlier referral
            ("r7", "c1", "2026-02-02", nil, 0),           // c1's second referral: starts treatment in the week
        ]
        for (id, client, received, end, restricted) in referrals {
            try db.execute("""
                INSERT INTO referrals (referral_id, client_id, received_date, age, gender, ethnicity, referral_source, presenting_problem,
                                       end_date, end_reason, restricted)
                VALUES (?, ?, ?, 34, 'female', 'white', 'gp', 'depression', ?, ?, ?)
                """, [key(id), key(client), received, end, end == nil ? nil : "completed", restricted])
        }
        let appointments: [(String, String, String, String, String, String)] = [
            ("a01", "r1", "T1", "2025-12-01", "treatment", "attended"),
            ("a02", "r1", "T1", "2025-12-15", "treatment", "attended"),
            ("a03", "r1", "T2", "2026-01-12", "treatment", "attended_late"),
            ("a04", "r1", "T2", "2026-03-03", "treatment", "attended"),
            ("a05", "r2", "T1", "2026-03-05", "treatment", "attended"),
            ("a06", "r2", "T2", "2026-03-05", "assessment", "attended"),  // same day, later id
            ("a07", "r2", "T1", "2026-03-06", "treatment", "dna"),
            ("a08", "r3", "T2", "2026-03-07", "assessment", "attended"),
            ("a09", "r4", "T1", "2026-01-20", "treatment", "attended"),
            ("a10", "r5", "T1", "2026-03-03", "treatment", "attended"),
            ("a11", "r5", "T1", "2026-03-04", "treatment", "attended"),
            ("a12", "r7", "T2", "2026-03-02", "treatment", "attended"),
            ("a13", "r7", "T2", "2026-03-08", "treatment", "attended"),
            ("a14", "r2", "T1", "2026-03-10", "treatment", "attended"),  // after the week
        ]
        try db.write { db in
            for (id, referral, therapist, date, kind, status) in appointments {
                try db.execute("""
                    INSERT INTO appointments (appointment_id, \(column), therapist_id, date, kind, status, modality, delivery)
                    VALUES (?, \(referralOf), ?, ?, ?, ?, 'cbt', 'video')
                    """, [key(id), key(referral), therapist, date, kind, status])
            }
        }
        for (referral, date, instrument, score) in [("r1", "2025-12-01", "phq9", 18), ("r1", "2026-03-03", "phq9", 6),
                                                    ("r1", "2025-12-01", "gad7", 12), ("r1", "2026-03-03", "gad7", 5)] {
            try db.execute("INSERT INTO measures (\(column), date, instrument, score) VALUES (\(referralOf), ?, ?, ?)",
                           [key(referral), date, instrument, score])
        }
        return db
    }

    var settings: MetricSettings {
        var settings = MetricSettings()
        settings.caseloadBreakdowns = [.modality, .delivery, .gender, .ageBand]
        settings.referralsPerClientYear = 2
        settings.supervisionPeriodWeeks = 1
        return settings
    }

    @Test func migratingAVersionSevenStoreKeepsTheExactReleaseByteForByte() throws {
        let fresh = WeeklyMetrics(db: try practiceStore(version: nil), settings: settings)
        let period = SupervisionPeriod(containing: week, weeks: 1)
        let weekly = try fresh.compute(week: week).canonicalBytes
        let outcomes = try fresh.compute(week: week, outcomeWeeks: 13).canonicalBytes
        let supervision = try fresh.compute(period: period, outcomeWeeks: 1).canonicalBytes
        let cases = try fresh.cases(period: period)

        let db = try practiceStore()
        try Schema.migrator.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Schema.migrator.latestVersion)
        #expect(try db.scalarString("SELECT typeof(referral_id) || typeof(client_id) FROM referrals LIMIT 1") == "blobblob")
        let metrics = WeeklyMetrics(db: db, settings: settings)
        #expect(try metrics.compute(week: week).canonicalBytes == weekly)
        #expect(try metrics.compute(week: week, outcomeWeeks: 13).canonicalBytes == outcomes)
        #expect(try metrics.compute(period: period, outcomeWeeks: 1).canonicalBytes == supervision)
        #expect(try metrics.cases(period: period) == cases)
        #expect(!cases.isEmpty && !cases.contains { $0.referral == Self.pseudonym("r5") })
        #expect(cases.contains { $0.referral == Self.pseudonym("r1") })
    }

    @Test func theWeeksStatementsUseTheVersionEightIndexes() throws {
        let db = try practiceStore()
        try Schema.migrator.migrate(db)
        func plan(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws -> String {
            try db.makeStatement("EXPLAIN QUERY PLAN " + sql).map(arguments) { $0.string(3) }.joined(separator: "\n")
        }
        // A week's endings: by the end-date index, not a scan of every referral.
        #expect(try plan("SELECT r.referral_id FROM referrals r WHERE r.end_date BETWEEN ?1 AND ?2 ORDER BY r.referral_key",
                            ["2026-03-02", "2026-03-08"]).contains("referrals_ended"))
        // Open referrals' attended contacts: from the index alone, no row lookup per contact,
        // and in the order asked for without a sort (version 14: referrals scanned in key order).
        let contacts = try plan("""
            SELECT a.referral_key, a.date, a.therapist_id, a.modality, a.delivery, a.kind
            FROM referrals r CROSS JOIN appointments a ON a.referral_key = r.referral_key
            WHERE +r.received_date <= ?1 AND (r.end_date IS NULL OR r.end_date > ?1) AND a.date <= ?3
              AND a.status IN ('attended', 'attended_late')
            ORDER BY r.referral_key, a.date, a.appointment_id
            """, ["2026-03-08", "2026-03-02", "2026-03-08"])
        #expect(contacts.contains("COVERING INDEX appointments_referral"))
        #expect(!contacts.contains("TEMP B-TREE"), "\(contacts)")
        // A week's contacts (version 13): a range of the table's own key, no lookup a row.
        #expect(try plan("""
            SELECT r.client_id, a.therapist_id, a.modality, a.delivery, a.status
            FROM appointments a JOIN referrals r ON r.referral_key = a.referral_key
            WHERE a.date BETWEEN ?1 AND ?2 ORDER BY a.date, a.therapist_id, a.appointment_id
            """, ["2026-03-02", "2026-03-08"]).contains("SEARCH a USING PRIMARY KEY (date>? AND date<?)"))
        // An appointment by its pseudonym: the unique index.
        #expect(try plan("SELECT status FROM appointments WHERE appointment_id = ?1", [DatabaseValue.blob(hex: "00")]).contains("appointments_id"))
        // Open referrals' latest contacts (version 11): each referral's progress row by its key.
        let progress = try plan("""
            SELECT r.referral_id, p.first_treatment, p.last_date
            FROM referrals r LEFT JOIN referral_progress p ON p.referral_key = r.referral_key
            WHERE +r.received_date <= ?1 AND (r.end_date IS NULL OR r.end_date > ?1) ORDER BY r.referral_key
            """, ["2026-03-08"])
        #expect(progress.contains("SEARCH p USING INTEGER PRIMARY KEY"), "\(progress)")
        #expect(!progress.contains("TEMP B-TREE"), "\(progress)")
        // A referral by its pseudonym (ingest, erasure, purge): the unique index (version 14).
        #expect(try plan("SELECT referral_key FROM referrals WHERE referral_id = ?1", [DatabaseValue.blob(hex: "00")]).contains("COVERING INDEX referrals_id"))
        // The restricted clients: the partial index of marked referrals.
        #expect(try plan("SELECT DISTINCT client_id FROM referrals WHERE restricted = 1").contains("referrals_restricted"))
    }

    /// The metrics' loader matches rows to referrals by the store's integer key (version 14):
    /// referrals stored in an order other than their pseudonyms' (ids that share a prefix or
    /// differ only in case) are each matched to their own contacts.
    @Test func referralsAreMatchedInSQLitesKeyOrder() throws {
        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db)
        let ids = ["r", "r1", "r10", "r2", "R3", "r1a"]
        try db.write { db in
            for id in ids {
                try db.execute("""
                    INSERT INTO referrals (referral_id, client_id, received_date, gender, ethnicity, referral_source, presenting_problem)
                    VALUES (CAST(? AS BLOB), CAST(? AS BLOB), '2026-01-05', 'female', 'white', 'gp', 'depression')
                    """, [id, "c" + id])
                try db.execute("""
                    INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                    VALUES (CAST(? AS BLOB), (SELECT referral_key FROM referrals WHERE referral_id = CAST(? AS BLOB)), 'T1', '2026-03-03', 'treatment', 'attended', 'cbt', 'video')
                    """, ["a" + id, id])
            }
        }
        let release = try WeeklyMetrics(db: db).compute(week: week)
        #expect(total(release, "all", "active_caseload") == ids.count)
    }
}
