import ConfidePostgres
@testable import ConfideSchema
import ConfideStore
import Foundation
import Testing

@Suite("PostgreSQL schema", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresSchemaTests {
    @Test func itIsTheVersionTheSQLiteStoreIsAt() {
        #expect(PostgresSchema.version == Schema.migrator.latestVersion)
    }

    @Test func itHasTheSQLiteStoresTablesColumnsAndIndexes() throws {
        let sqlite = try Database(path: ":memory:")
        try Schema.migrator.migrate(sqlite)
        var sqliteColumns: [String: [String]] = [:]
        var sqliteIndexes: Set<String> = []
        try sqlite.cachedStatement("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").forEachRow([]) { row in
            let type = row.string(0), name = row.string(1)
            if type == "index" { sqliteIndexes.insert(name) }
            if type == "table" { sqliteColumns[name] = [] }
        }
        for table in sqliteColumns.keys {
            try sqlite.cachedStatement("SELECT name FROM pragma_table_info(?) ORDER BY cid").forEachRow([table]) { row in
                sqliteColumns[table]!.append(row.string(0))
            }
        }
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        #expect(try PostgresSchema.create(on: db))
        var postgresColumns: [String: [String]] = [:]
        for row in try db.query("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """) {
            postgresColumns[row.string(0), default: []].append(row.string(1))
        }
        #expect(postgresColumns == sqliteColumns)
        // SQLite names a primary key's index itself (sqlite_autoindex_*); PostgreSQL's are *_pkey.
        let postgresIndexes = Set(try db.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            .map { $0.string(0) }.filter { !$0.hasSuffix("_pkey") })
        #expect(postgresIndexes == sqliteIndexes)
        var sqliteTriggers: Set<String> = []
        try sqlite.cachedStatement("SELECT name FROM sqlite_schema WHERE type = 'trigger'").forEachRow([]) { sqliteTriggers.insert($0.string(0)) }
        let postgresTriggers = Set(try db.query("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").map { $0.string(0) })
        #expect(postgresTriggers == sqliteTriggers)
    }

    @Test func itIsCreatedOnceAndCheckedAfter() throws {
        let location = try PostgresTestServer.freshDatabase()
        let db = try PostgresConnection(location)
        #expect(throws: PostgresSchema.Problem.missing) { try PostgresSchema.check(db) }
        #expect(try PostgresSchema.create(on: db))
        try PostgresSchema.check(db)
        #expect(try !PostgresSchema.create(on: PostgresConnection(location)))
        try db.query("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        #expect(throws: PostgresSchema.Problem.newer(99)) { try PostgresSchema.check(db) }
        #expect(throws: PostgresSchema.Problem.newer(99)) { try PostgresSchema.create(on: db) }
    }

    @Test func referralNumbersAreNeverGivenTwice() throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try PostgresSchema.create(on: db)
        func add(_ byte: UInt8) throws -> Int {
            try #require(try db.scalarInt("""
                INSERT INTO referrals (referral_id, client_id, received_date, gender, ethnicity, referral_source, presenting_problem)
                VALUES ($1, $1, '2026-01-05', 'female', 'white_british', 'gp', 'depression') RETURNING referral_key
                """, [DatabaseValue.blob(Array(repeating: byte, count: 16))]))
        }
        let first = try add(1), second = try add(2)
        #expect(second > first)
        try db.query("DELETE FROM referrals WHERE referral_key = $1", [second])
        #expect(try add(3) > second)
    }

    @Test func laterStepsAreAppliedOnceEachInATransactionOfItsOwn() throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try PostgresSchema.create(on: db)
        let base = PostgresSchema.baseVersion
        var steps = ["CREATE TABLE extra (n BIGINT)", "INSERT INTO extra VALUES (1)", "INSERT INTO extra VALUES (2); this is not SQL"]
        #expect(throws: PostgresError.self) { try PostgresSchema.migrate(db, steps: steps) }
        #expect(try PostgresSchema.storedVersion(db) == base + 2, "the steps before the failing one are kept")
        #expect(try db.scalarInt("SELECT count(*) FROM extra") == 1, "the failing step left nothing")
        steps[2] = "ALTER TABLE extra ADD COLUMN m BIGINT"
        let applied = try PostgresSchema.migrate(db, steps: steps)
        #expect(applied.from == base + 2 && applied.to == base + 3)
        let again = try PostgresSchema.migrate(db, steps: steps)
        #expect(again.from == base + 3 && again.to == base + 3)
        #expect(throws: PostgresSchema.Problem.newer(base + 3)) { try PostgresSchema.migrate(db, steps: Array(steps.prefix(1))) }
    }

    /// The keys SQLite numbers when an insert leaves them out are numbered on PostgreSQL too.
    @Test func insertsThatLeaveTheirKeyOutAreNumbered() throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try PostgresSchema.create(on: db)
        let inserts = [
            "INSERT INTO ingest_runs (started, source, mode) VALUES ('2026-12-07T10:00:00Z', 'csv', 'delta') RETURNING run_id",
            "INSERT INTO ledger (period, period_start, epsilon, delta, created, note) VALUES ('2026-W10', '2026-03-02', 1.1, 0, 'now', 'w') RETURNING entry_id",
            "INSERT INTO runs (started, command, outcome, exit_code, detail) VALUES ('now', 'run', 'running', -1, '') RETURNING run_id",
        ]
        for insert in inserts {
            let first = try #require(try db.scalarInt(insert)), second = try #require(try db.scalarInt(insert))
            #expect(second == first + 1, "\(insert)")
        }
    }

    @Test func theTriggersNoteTheReferralsWhoseAttendedContactsChange() throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try PostgresSchema.create(on: db)
        var keys: [Int] = []
        for byte: UInt8 in 1...3 {
            keys.append(try #require(try db.scalarInt("""
                INSERT INTO referrals (referral_id, client_id, received_date, gender, ethnicity, referral_source, presenting_problem)
                VALUES ($1, $1, '2026-01-05', 'female', 'white_british', 'gp', 'depression') RETURNING referral_key
                """, [DatabaseValue.blob(Array(repeating: byte, count: 16))])))
        }
        func stale() throws -> [Int] { try db.query("SELECT referral_key FROM referral_progress_stale ORDER BY 1").map { $0.int(0) } }
        func contact(_ id: UInt8, _ key: Int, status: String) throws {
            try db.query("""
                INSERT INTO appointments (appointment_id, referral_key, therapist_id, date, kind, status, modality, delivery)
                VALUES ($1, $2, 'T1', '2026-01-12', 'treatment', $3, 'cbt', 'in_person')
                """, [DatabaseValue.blob([id]), key, status])
        }
        try contact(1, keys[0], status: "did_not_attend")
        #expect(try stale() == [])
        try contact(2, keys[0], status: "attended")
        #expect(try stale() == [keys[0]])
        try db.execute("DELETE FROM referral_progress_stale")
        try db.query("UPDATE appointments SET duration_minutes = 50, seen_run = 3")
        #expect(try stale() == [], "a change to no column the progress is computed from notes nothing")
        try db.query("UPDATE appointments SET referral_key = $1 WHERE appointment_id = $2", [keys[1], DatabaseValue.blob([2])])
        #expect(try stale() == [keys[0], keys[1]], "a moved contact notes both referrals")
        try db.execute("DELETE FROM referral_progress_stale")
        try db.query("DELETE FROM appointments WHERE appointment_id = $1", [DatabaseValue.blob([2])])
        #expect(try stale() == [keys[1]])
    }
}
