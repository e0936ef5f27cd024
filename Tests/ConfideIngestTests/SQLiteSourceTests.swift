@testable import ConfideIngest
import ConfideStore
import Foundation
import Testing

/// A practice-system database with its own table and column names and identifying columns.
private func makePracticeDatabase(_ path: String) throws {
    let db = try Database(path: path)
    try db.execute("""
        CREATE TABLE episodes (id TEXT, patient TEXT, patient_name TEXT, email TEXT, opened TEXT, dob TEXT, sex TEXT, closed TEXT);
        CREATE TABLE sessions (id INTEGER, episode TEXT, clinician TEXT, starts TEXT, outcome TEXT, minutes REAL, notes TEXT);
        CREATE TABLE scores (episode TEXT, tool TEXT, taken TEXT, total INTEGER);
        INSERT INTO episodes VALUES ('EPI-0001', 'PAT-0001', 'Imogen Fairweather', 'imogen.fw@example.org', '2026-01-06', '1990-02-14', 'F', NULL);
        INSERT INTO episodes VALUES ('EPI-0002', 'PAT-0002', 'Barnaby Quill', 'barnaby@example.net', '2026-01-13', NULL, 'M', '2026-03-20');
        INSERT INTO sessions VALUES (1, 'EPI-0001', 'T01', '2026-01-12T09:00:00', 'Attended', 60.0, 'Disclosed history of self-harm');
        INSERT INTO sessions VALUES (2, 'EPI-0001', 'T01', '2026-01-19T09:00:00', 'No Show', 50, NULL);
        INSERT INTO sessions VALUES (3, 'EPI-0002', 'T02', 'not a date', 'Attended', 50, NULL);
        INSERT INTO sessions VALUES (4, 'E7', 'T02', '2026-01-27', 'Attended', 50, NULL);
        INSERT INTO scores VALUES ('EPI-0001', 'PHQ-9', '2026-01-12', 17), ('EPI-0002', 'GAD-7', '2026-01-20', 30);
        """)
}

private func sqliteSource(_ path: String) -> ExportSource {
    ExportSource(format: .sqlite, path: path, files: [
        .referrals: FileMapping(table: "episodes", columns: ["referral_id": "id", "client_id": "patient", "received_date": "opened",
                                                             "date_of_birth": "dob", "gender": "sex", "end_date": "closed"],
                                values: ["gender": ["F": "female", "M": "male"]]),
        .appointments: FileMapping(query: "SELECT id AS appointment_id, episode AS referral_id, clinician AS therapist_id, starts AS date, outcome AS status, minutes AS duration_minutes, notes FROM sessions;",
                                   values: ["status": ["No Show": "dna"]]),
        .measures: FileMapping(table: "scores", columns: ["referral_id": "episode", "instrument": "tool", "date": "taken", "score": "total"],
                               values: ["instrument": ["PHQ-9": "phq9", "GAD-7": "gad7"]]),
    ])
}

@Suite struct SQLiteSourceTests {
    @Test func readsTablesAndQueriesThroughTheSameValidation() throws {
        let folder = TempFolder()
        try makePracticeDatabase(folder.path + "/practice.db")
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(sqliteSource(folder.path + "/practice.db"), into: db, startedAt: "t")
        #expect(report.files.map(\.file) == ["episodes", "appointments query", "scores"])
        #expect(report.files.map(\.loaded) == [2, 2, 1])
        #expect(report.files[1].reasons == ["bad_date": 1, "unknown_referral": 1])
        #expect(report.files[2].reasons == ["score_out_of_range": 1])
        #expect(report.files.allSatisfy { $0.isReconciled })
        #expect(report.files[0].droppedColumns.map(\.name) == ["patient_name", "email"])
        #expect(report.files[0].droppedColumns.allSatisfy { $0.looksIdentifying })
        #expect(try db.scalarString("SELECT group_concat(status) FROM (SELECT status FROM appointments ORDER BY date)") == "attended,dna")
        #expect(try db.scalarInt("SELECT sum(duration_minutes) FROM appointments") == 110)
        #expect(try db.scalarString("SELECT group_concat(line) FROM quarantine WHERE file = 'appointments query'") == "3,4")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite"))
        bytes += (try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite-wal"))) ?? Data()
        for planted in ["Imogen Fairweather", "imogen.fw@example.org", "Disclosed history", "EPI-0001", "PAT-0001"] {
            #expect(bytes.range(of: Data(planted.utf8)) == nil, "a source value reached the store")
        }
    }

    @Test func csvAndSQLiteGiveTheSameStore() throws {
        let folder = TempFolder()
        try makePracticeDatabase(folder.path + "/practice.db")
        let fromSQLite = try openStore(folder)
        _ = try Ingestor(key: testKey, timeZone: london).ingest(sqliteSource(folder.path + "/practice.db"), into: fromSQLite, startedAt: "t")
        let csv = TempFolder()
        csv.write("referrals.csv", "referral_id,client_id,received_date,date_of_birth,gender,end_date\nEPI-0001,PAT-0001,2026-01-06,1990-02-14,female,\nEPI-0002,PAT-0002,2026-01-13,,male,2026-03-20\n")
        csv.write("appointments.csv", "appointment_id,referral_id,therapist_id,date,status,duration_minutes\n1,EPI-0001,T01,2026-01-12T09:00:00,attended,60\n2,EPI-0001,T01,2026-01-19T09:00:00,dna,50\n")
        csv.write("measures.csv", "referral_id,date,instrument,score\nEPI-0001,2026-01-12,phq9,17\n")
        let fromCSV = try openStore(csv)
        _ = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(path: csv.path), into: fromCSV, startedAt: "t")
        for table in ["referrals", "appointments", "measures"] {
            // Every column but the digest of the source record (and its fallbacks), which is of
            // each source's own bytes by design.
            let dump: (Database) throws -> [String] = { db in
                let columns = try db.makeStatement("SELECT name FROM pragma_table_info(?1) WHERE name NOT IN ('row_digest', 'row_fallbacks') ORDER BY cid")
                    .map([table]) { $0.string(0) }
                #expect(columns.count >= 5)
                return try db.cachedStatement("SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY 1, 2").map { row in
                    (0..<row.count).map { "\(row.value($0))" }.joined(separator: "|")
                }
            }
            let a = try dump(fromSQLite), b = try dump(fromCSV)
            #expect(a == b, "\(table) differs")
        }
    }

    @Test func unusableDatabasesAreRefusedWithTheStoreUnchanged() throws {
        let folder = TempFolder()
        let db = try openStore(folder)
        let ingestor = Ingestor(key: testKey, timeZone: london)
        #expect(throws: IngestError.missingFile(path: folder.path + "/none.db")) {
            try ingestor.ingest(sqliteSource(folder.path + "/none.db"), into: db, startedAt: "t")
        }
        folder.write("junk.db", String(repeating: "not a database ", count: 400))
        #expect(throws: IngestError.self) { try ingestor.ingest(sqliteSource(folder.path + "/junk.db"), into: db, startedAt: "t") }
        try makePracticeDatabase(folder.path + "/practice.db")
        var source = sqliteSource(folder.path + "/practice.db")
        source.files[.measures]?.table = "no_such_table"
        #expect(throws: IngestError.self) { try ingestor.ingest(source, into: db, startedAt: "t") }
        source = sqliteSource(folder.path + "/practice.db")
        source.files[.measures]?.columns["score"] = "missing"
        #expect(throws: IngestError.missingColumn(file: "scores", column: "missing")) { try ingestor.ingest(source, into: db, startedAt: "t") }
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_runs") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") == 0)
    }

    @Test func aQueryCannotWrite() throws {
        let folder = TempFolder()
        try makePracticeDatabase(folder.path + "/practice.db")
        let db = try openStore(folder)
        var source = sqliteSource(folder.path + "/practice.db")
        source.files[.measures] = FileMapping(query: "SELECT 1; DELETE FROM scores")
        #expect(throws: IngestError.self) { try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t") }
        let check = try Database(path: folder.path + "/practice.db", mode: .readOnly)
        #expect(try check.scalarInt("SELECT count(*) FROM scores") == 2)
    }
}
