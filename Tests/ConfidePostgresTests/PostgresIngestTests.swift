import ConfideIngest
import ConfideMetrics
import ConfideModel
import ConfidePostgres
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// The PostgreSQL ingest against SQLite's, row for row: random exports (duplicates, conflicts,
/// rows whose referral comes later, broken rows, values outside a vocabulary, erased and expired
/// referrals, rows that disappear), ingested run after run into both stores, in delta and
/// snapshot mode: the same reconciliations, and the same stored, waiting and quarantined rows.
@Suite("PostgreSQL ingest", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresIngestTests {
    private let key = try! PracticeKey(bytes: Array(repeating: 9, count: 32))
    private let london = TimeZone(identifier: "Europe/London")!

    /// Ten practices, six exports each; every kind of row the comparison is for occurs.
    @Test func randomExportsLoadAsOnSQLite() throws {
        var seen: [String: Int] = [:]
        for seed in UInt64(1)...10 { try compareStores(seed: seed, counting: &seen) }
        for feature in ["duplicate_conflict", "unknown_referral", "updated", "forgotten", "expired", "missing", "restricted", "fallbacks",
                        "released", "deleted", "replaced", "bad_date"] {
            #expect(seen[feature, default: 0] > 0, "no \(feature) in sixty exports")
        }
    }

    private func compareStores(seed: UInt64, counting seen: inout [String: Int]) throws {
        var random = SplitMix(seed: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgingest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sqlite = try Database(path: folder + "/store.sqlite")
        try Schema.migrator.migrate(sqlite)
        let postgres = try PostgresConnection(try PostgresTestServer.freshDatabase())
        _ = try PostgresSchema.create(on: postgres)
        // Tombstones both stores hold: a client forgotten and a referral expired before their
        // rows arrive.
        let pseudonymizer = Pseudonymizer(key: key)
        for (tombstone, kind) in [(pseudonymizer.tombstone(of: pseudonymizer.pseudonym(.client, "C3")), "client"),
                                  (pseudonymizer.tombstone(of: pseudonymizer.pseudonym(.referral, "R5")), "referral")] {
            try sqlite.execute("INSERT INTO forgotten (tombstone, kind) VALUES (?, ?)", [tombstone, kind])
            try postgres.execute("INSERT INTO forgotten (tombstone, kind) VALUES (?, ?)", [tombstone, kind])
        }
        let expired = pseudonymizer.tombstone(of: pseudonymizer.pseudonym(.referral, "R7"))
        try sqlite.execute("INSERT INTO expired (tombstone) VALUES (?)", [expired])
        try postgres.execute("INSERT INTO expired (tombstone) VALUES (?)", [expired])

        var export = RandomExport(random: &random)
        for run in 1...6 {
            if run > 1 { export.change(random: &random) }
            var source = ExportSource(path: folder)
            source.mode = random.next() % 2 == 0 ? .snapshot : .delta
            // A delta export holds some of the rows; a third of the exports have broken rows.
            export.write(to: folder, share: source.mode == .delta ? 2 : 1, broken: random.below(3) == 0, random: &random)
            source.snapshotDeletes = random.next() % 2 == 0
            let ingestor = Ingestor(key: key, timeZone: london)
            let onSQLite = try ingestor.ingest(source, into: sqlite, startedAt: "t\(run)")
            let onPostgres = try ingestor.ingest(source, into: postgres, startedAt: "t\(run)")
            let context = "seed \(seed), run \(run), \(source.mode)\(source.snapshotDeletes ? " with deletes" : "")"
            #expect(onPostgres == onSQLite, "\(context): reconciliation")
            for file in onSQLite.files + onSQLite.waiting {
                for (reason, count) in file.reasons { seen[reason, default: 0] += count }
                for (name, count) in [("updated", file.updated), ("forgotten", file.forgotten), ("expired", file.expired),
                                      ("deleted", file.deleted), ("replaced", file.replaced), ("restricted", file.restricted),
                                      ("fallbacks", file.outOfVocabulary.values.reduce(0, +)),
                                      ("released", file.file.hasSuffix("(waiting)") ? file.inserted + file.updated : 0),
                                      ("missing", file.missingFromSnapshot ?? 0)] {
                    seen[name, default: 0] += count
                }
            }
            for (name, query) in Self.comparedTables {
                let left = try sqlite.fetch(query(.sqlite), []) { row in (0..<query.columns).map { row.optionalString($0) ?? "NULL" } }
                let right = try postgres.fetch(query(.postgres), []) { row in (0..<query.columns).map { row.optionalString($0) ?? "NULL" } }
                #expect(left == right, "\(context): \(name) differ (\(left.count) rows on SQLite, \(right.count) on PostgreSQL)")
            }
        }
        // The stores' figures too (``PostgresMetricsTests``): restricted clients, unknown words
        // and rows that came late are here, which the synthetic practices lack; so are weeks
        // long after the last contact, whose therapists are no longer in the week's public list
        // (cells made as they are met, in the order the Swift measures meet them).
        var settings = MetricSettings()
        settings.referralsPerClientYear = 1 + Int(seed % 2)
        settings.caseloadBreakdowns = [.ageBand, .gender, .delivery]
        let weeks = ["2026-W09", "2026-W20", "2026-W27", "2026-W45"].map { ISOWeek($0)! }
        try PostgresMetricsTests.expectSameReleases(sqlite, postgres, settings: settings, weeks: weeks, context: "seed \(seed)")
    }

    /// The connection killed in the middle of an ingest (after its first file is loaded, inside
    /// the transaction): nothing of the run is kept, and the ingest run again loads what an
    /// uninterrupted one would have.
    @Test func aConnectionKilledInTheMiddleOfAnIngestKeepsNothingAndTheRerunCompletes() throws {
        var random = SplitMix(seed: 77)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgkill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        RandomExport(random: &random).write(to: folder, share: 1, broken: false, random: &random)
        let location = try PostgresTestServer.freshDatabase()
        let postgres = try PostgresConnection(location)
        _ = try PostgresSchema.create(on: postgres)
        let before = try Self.comparedTables.map { try postgres.fetch($0.1(.postgres), []) { row in row.optionalString(0) ?? "" } }
        let pid = try postgres.scalarInt("SELECT pg_backend_pid()")!
        let killed = Ingestor(key: key, timeZone: london) { file in
            guard file.file == "referrals.csv", let killer = try? PostgresConnection(location) else { return }
            _ = try? killer.query("SELECT pg_terminate_backend($1)", [pid])
        }
        #expect(throws: PostgresError.self) { try killed.ingest(ExportSource(path: folder), into: postgres, startedAt: "t") }
        let reconnected = try PostgresConnection(location)
        let after = try Self.comparedTables.map { try reconnected.fetch($0.1(.postgres), []) { row in row.optionalString(0) ?? "" } }
        #expect(after == before, "nothing of the killed ingest is kept")
        #expect(try reconnected.scalarInt("SELECT count(*) FROM ingest_runs") == 0)

        let sqlite = try Database(path: folder + "/store.sqlite")
        try Schema.migrator.migrate(sqlite)
        let ingestor = Ingestor(key: key, timeZone: london)
        let rerun = try ingestor.ingest(ExportSource(path: folder), into: reconnected, startedAt: "t")
        let uninterrupted = try ingestor.ingest(ExportSource(path: folder), into: sqlite, startedAt: "t")
        #expect(rerun.files == uninterrupted.files)
        #expect(rerun.files[0].inserted > 0)
    }

    /// How a query names a key's bytes as text on each engine.
    enum Engine: Sendable { case sqlite, postgres }

    /// A query over both stores, its rows in one order, every value as text.
    struct Compared: Sendable {
        let columns: Int
        let sql: @Sendable (Engine) -> String
        func callAsFunction(_ engine: Engine) -> String { sql(engine) }
    }

    private static func hex(_ column: String, _ engine: Engine) -> String {
        engine == .sqlite ? "hex(\(column))" : "upper(encode(\(column), 'hex'))"
    }

    /// The tables an ingest writes, with referrals named by pseudonym (their numbers may differ).
    static let comparedTables: [(String, Compared)] = [
        ("referrals", Compared(columns: 15) { e in """
            SELECT \(hex("referral_id", e)), \(hex("client_id", e)), received_date, age, gender, ethnicity, postcode_district,
                   referral_source, presenting_problem, end_date, end_reason, seen_run, restricted, row_digest, row_fallbacks
            FROM referrals ORDER BY 1
            """ }),
        ("appointments", Compared(columns: 12) { e in """
            SELECT \(hex("a.appointment_id", e)), \(hex("r.referral_id", e)), a.therapist_id, a.date, a.kind, a.status, a.modality,
                   a.delivery, a.duration_minutes, a.seen_run, a.row_digest, a.row_fallbacks
            FROM appointments a JOIN referrals r ON r.referral_key = a.referral_key ORDER BY 1
            """ }),
        ("measures", Compared(columns: 7) { e in """
            SELECT \(hex("r.referral_id", e)), m.date, m.instrument, m.score, m.seen_run, m.row_digest, m.row_fallbacks
            FROM measures m JOIN referrals r ON r.referral_key = m.referral_key ORDER BY 1, 2, 3
            """ }),
        ("waiting appointments", Compared(columns: 11) { e in """
            SELECT \(hex("appointment_id", e)), \(hex("referral_id", e)), therapist_id, date, kind, status, modality, delivery,
                   duration_minutes, deferred_run, line FROM pending_appointments ORDER BY 1
            """ }),
        ("waiting scores", Compared(columns: 6) { e in """
            SELECT \(hex("referral_id", e)), date, instrument, score, deferred_run, line FROM pending_measures ORDER BY 1, 2, 3
            """ }),
        ("quarantine", Compared(columns: 5) { _ in
            "SELECT run_id, file, line, column_name, reason FROM quarantine ORDER BY run_id, file, line, column_name, reason" }),
        ("ingest files", Compared(columns: 11) { _ in """
            SELECT run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns, expired, forgotten, restricted
            FROM ingest_files ORDER BY run_id, file
            """ }),
        ("ingest runs", Compared(columns: 5) { _ in
            "SELECT run_id, started, source, mode, missing_from_snapshot FROM ingest_runs ORDER BY run_id" }),
        ("tombstones", Compared(columns: 2) { _ in "SELECT tombstone, kind FROM forgotten ORDER BY 1" }),
        ("progress", Compared(columns: 8) { e in """
            SELECT \(hex("r.referral_id", e)), p.first_treatment, p.second_treatment, p.last_date, p.last_kind, p.last_therapist,
                   p.last_modality, p.last_delivery FROM referral_progress p JOIN referrals r ON r.referral_key = p.referral_key ORDER BY 1
            """ }),
    ]
}

/// A practice's export as lines of three CSV files, changed at random between runs.
struct RandomExport {
    var referrals: [String] = []
    var appointments: [String] = []
    var measures: [String] = []
    private var nextReferral = 1
    private var nextAppointment = 1

    init(random: inout SplitMix) {
        for _ in 0..<14 { referrals.append(referral(random: &random)) }
        for _ in 0..<40 { appointments.append(appointment(random: &random)) }
        for _ in 0..<25 { measures.append(measure(random: &random)) }
    }

    private mutating func referral(random: inout SplitMix) -> String {
        let number = nextReferral
        nextReferral += 1
        let client = "C\(1 + random.below(number / 2 + 1))"
        let gender = ["female", "male", "female", "non_binary", "robot"][random.below(5)]
        let received = "2026-0\(1 + random.below(6))-1\(random.below(10))"
        let ended = random.below(4) == 0 ? "2026-09-01,completed" : ","
        let restricted = random.below(5) == 0 ? "yes" : "no"
        return "R\(number),\(client),\(received),1990-03-01,\(gender),white,LS6 2AB,gp,depression,\(ended),\(restricted)"
    }

    private mutating func appointment(random: inout SplitMix) -> String {
        // Referrals up to two beyond those written: rows that wait for a referral to come.
        let referral = random.below(8) == 0 ? 1 + random.below(nextReferral + 1) : 1 + random.below(nextReferral - 1)
        let id: Int
        if random.below(12) == 0, nextAppointment > 1 { id = 1 + random.below(nextAppointment - 1) } else { id = nextAppointment; nextAppointment += 1 }
        let status = ["attended", "attended", "dna", "cancelled_by_client", "attended_late"][random.below(5)]
        let kind = random.below(5) == 0 ? "assessment" : "treatment"
        return "A\(id),R\(referral),T0\(1 + random.below(3)),2026-0\(2 + random.below(6))-1\(random.below(10)),\(kind),\(status),cbt,video,\(random.below(3) == 0 ? "" : "50"),n\(random.below(2))"
    }

    private func measure(random: inout SplitMix) -> String {
        let instrument = random.below(2) == 0 ? "phq9" : "gad7"
        let score = "\(random.below(20))"
        let referral = random.below(8) == 0 ? 1 + random.below(nextReferral + 1) : 1 + random.below(nextReferral - 1)
        return "R\(referral),2026-0\(2 + random.below(3))-0\(1 + random.below(3)),\(instrument),\(score)"
    }

    /// Some rows changed, duplicated, dropped, added; more referrals.
    mutating func change(random: inout SplitMix) {
        for _ in 0..<random.below(4) { referrals.append(referral(random: &random)) }
        for _ in 0..<random.below(10) { appointments.append(appointment(random: &random)) }
        for _ in 0..<random.below(8) { measures.append(measure(random: &random)) }
        for _ in 0..<random.below(4) where !appointments.isEmpty {
            appointments[random.below(appointments.count)] = appointment(random: &random)
        }
        for _ in 0..<random.below(3) where !appointments.isEmpty { appointments.remove(at: random.below(appointments.count)) }
        for _ in 0..<random.below(3) where !measures.isEmpty { measures.remove(at: random.below(measures.count)) }
        // A row again, now and then written another way (a duration of "050": the same row
        // from another source record, so another digest) or with another note (a dropped
        // column: the same record).
        for _ in 0..<random.below(3) where !appointments.isEmpty {
            let again = String(appointments[random.below(appointments.count)].dropLast(2)) + "n\(random.below(3))"
            appointments.append(random.below(2) == 0 ? again.replacingOccurrences(of: ",50,", with: ",050,") : again)
        }
        for _ in 0..<random.below(2) where !measures.isEmpty && random.below(2) == 0 {
            let copy = measures[random.below(measures.count)]
            measures.append(random.below(2) == 0 ? copy : copy.replacingOccurrences(of: ",1", with: ",2"))
        }
        if random.below(3) == 0, !referrals.isEmpty {
            let index = random.below(referrals.count)
            referrals[index] = referrals[index].replacingOccurrences(of: "depression", with: "gad")
        }
        if random.below(4) == 0, !referrals.isEmpty { referrals.remove(at: random.below(referrals.count)) }
        referrals.shuffle(using: &random)
        appointments.shuffle(using: &random)
    }

    /// Writes the three files: one row in `share` (a delta export), and when `broken` a few
    /// rows that cannot be read (a bad date, an unknown status, a score out of range).
    func write(to folder: String, share: Int, broken: Bool, random: inout SplitMix) {
        var referrals = referrals.filter { _ in random.below(share) == 0 }
        var appointments = appointments.filter { _ in random.below(share) == 0 }
        var measures = measures.filter { _ in random.below(share) == 0 }
        if broken {
            referrals.insert("R\(1 + random.below(nextReferral)),C1,2026-13-45,,female,white,,gp,depression,,,no", at: random.below(referrals.count + 1))
            appointments.insert("A\(1 + random.below(nextAppointment)),R1,T01,2026-02-10,treatment,lost,cbt,video,50,n0", at: random.below(appointments.count + 1))
            measures.insert("R1,2026-02-01,phq9,99", at: random.below(measures.count + 1))
        }
        let files = [("referrals.csv", "referral_id,client_id,received_date,date_of_birth,gender,ethnicity,postcode,referral_source,presenting_problem,end_date,end_reason,restricted", referrals),
                     ("appointments.csv", "appointment_id,referral_id,therapist_id,date,kind,status,modality,delivery,duration_minutes,notes", appointments),
                     ("measures.csv", "referral_id,date,instrument,score", measures)]
        for (name, header, lines) in files {
            let text = ([header] + lines).joined(separator: "\n") + "\n"
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8))
        }
    }
}

extension SplitMix {
    /// A number in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
