@testable import ConfideIngest
import ConfideStore
import Foundation
import Testing

/// Writes referrals R0…R(n-1) and, per referral, one appointment and one measure.
private func writeLargeExport(_ folder: TempFolder, referrals n: Int, extraAppointments: String = "") {
    var referrals = referralsHeader, appointments = appointmentsHeader, measures = measuresHeader
    for i in 0..<n {
        referrals += "R\(i),C\(i),2026-01-05,,female,white,,gp,depression,,\n"
        appointments += "A\(i),R\(i),T01,2026-01-12,assessment,attended,cbt,video,60\n"
        measures += "R\(i),2026-01-12,phq9,\(i % 28)\n"
    }
    folder.write("referrals.csv", referrals)
    folder.write("appointments.csv", appointments + extraAppointments)
    folder.write("measures.csv", measures)
}

private func indexNames(_ db: Database) throws -> [String] {
    try db.cachedStatement("SELECT name || ':' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").map { $0.string(0) }
}

@Suite struct BatchedLoadTests {
    @Test func aFirstLoadRestoresIndexesJournalAndForeignKeys() throws {
        let folder = TempFolder()
        writeLargeExport(folder, referrals: 50)
        let db = try openStore(folder)
        let before = try indexNames(db)
        let cacheBefore = try db.scalarInt("PRAGMA cache_size")
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        #expect(report.files.map(\.inserted) == [50, 50, 50])
        #expect(try indexNames(db) == before)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try db.scalarInt("PRAGMA cache_size") == cacheBefore)
        #expect(try db.scalarString("PRAGMA integrity_check") == "ok")
        #expect(try db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check") == 0)
    }

    @Test func anotherConnectionKeepsTheStoreInWAL() throws {
        let folder = TempFolder()
        writeLargeExport(folder, referrals: 5)
        let db = try openStore(folder)
        let reader = try Database(path: folder.path + "/store.sqlite")
        _ = try reader.scalarInt("SELECT count(*) FROM referrals")
        _ = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try reader.scalarInt("SELECT count(*) FROM referrals") == 5)
    }

    @Test func rowsSpanningSeveralBatchesReconcileAndConflictsKeepFileOrder() throws {
        let n = RecordBatcher.capacity + 500
        let folder = TempFolder()
        // A7 again with other content after the first batch: a conflict on its own line; A8
        // again unchanged; both in a later batch than the first A7 and A8.
        let extra = "A7,R7,T02,2026-01-13,treatment,attended,cbt,video,50\nA8,R8,T01,2026-01-12,assessment,attended,cbt,video,60\n"
        writeLargeExport(folder, referrals: n, extraAppointments: extra)
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let appointments = report.files[1]
        #expect(appointments.read == n + 2)
        #expect(appointments.inserted == n && appointments.unchanged == 1 && appointments.quarantined == 1)
        #expect(appointments.reasons == ["duplicate_conflict": 1])
        #expect(try db.scalarInt("SELECT line FROM quarantine WHERE file = 'appointments.csv'") == n + 2)
        #expect(report.files.allSatisfy { $0.isReconciled })
        #expect(try db.scalarInt("SELECT count(*) FROM appointments") == n)
        #expect(try db.scalarString("SELECT therapist_id FROM appointments WHERE appointment_id = ?",
                                    [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.appointment, "A7"))]) == "T01")
        // The same files again change nothing.
        let again = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t2")
        #expect(again.files.map(\.inserted) == [0, 0, 0] && again.files.map(\.updated) == [0, 0, 0])
    }

    @Test func quarantineIsWrittenInLineOrderWithinABatch() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("appointments.csv", appointmentsHeader + """
        A9,R1,T01,2026-01-12,assessment,attended,cbt,video,60
        A1,R1,T01,2026-01-12,assessment,nope,cbt,video,60
        A9,R1,T01,2026-01-13,assessment,attended,cbt,video,60
        A5,R9,T01,2026-01-12,assessment,attended,cbt,video,60

        """)
        let db = try openStore(folder)
        _ = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let rows = try db.cachedStatement("SELECT line || ':' || reason FROM quarantine WHERE file = 'appointments.csv' ORDER BY rowid").map { $0.string(0) }
        #expect(rows == ["3:unknown_status", "4:duplicate_conflict", "5:unknown_referral"])
    }

    @Test func aStoreFailureStopsParsingAndLeavesTheStoreAsItWas() throws {
        let folder = TempFolder()
        writeLargeExport(folder, referrals: RecordBatcher.capacity * 3)
        let db = try openStore(folder)
        try db.execute("""
            CREATE TRIGGER measures_fail BEFORE INSERT ON measures WHEN (SELECT count(*) FROM measures) >= 100
            BEGIN SELECT RAISE(ABORT, 'store failure for the test'); END
            """)
        let indexesBefore = try indexNames(db)
        #expect(throws: DatabaseError.self) {
            try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        }
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_runs") == 0)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try indexNames(db) == indexesBefore)
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
    }
}
