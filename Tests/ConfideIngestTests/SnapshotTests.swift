import ConfideIngest
import ConfideStore
import Foundation
import Testing

/// Snapshot means snapshot for every file (issue 14).
@Suite struct SnapshotTests {
    private func count(_ db: Database, _ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") ?? -1 }

    /// Rows a snapshot no longer holds are counted per file and kept; a re-dated score replaces
    /// its old row; with `snapshot_deletes` the rows are removed, a referral with its rows.
    @Test func missingRowsAreCountedPerFileAndDeletedOnlyWhenAsked() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        let ingestor = Ingestor(key: testKey, timeZone: london)
        _ = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t1")
        // A2 gone, R1's phq9 re-dated from 12 to 13 January.
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\nA3,R2,T02,2026-01-20,treatment,attended,counselling,in_person,\n")
        folder.write("measures.csv", measuresHeader + "R1,2026-01-13,phq9,15\nR1,2026-01-12,gad7,12\n")
        let kept = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t2")
        #expect(kept.files.map(\.missingFromSnapshot) == [0, 1, 0])
        #expect(kept.files.map(\.deleted) == [0, 0, 0])
        #expect(kept.files[2].replaced == 1)
        #expect(try count(db, "measures") == 2 && count(db, "appointments") == 3)
        for file in kept.files { #expect(file.isReconciled) }

        // R2 gone from every file; deletes on.
        folder.write("referrals.csv", referralsHeader + "R1,C1,2026-01-05,1990-03-01,female,white,LS6 2AB,gp,depression,,\n")
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\n")
        var source = ExportSource(directory: folder.path)
        source.snapshotDeletes = true
        let deleted = try ingestor.ingest(source, into: db, startedAt: "t3")
        #expect(deleted.files.map(\.missingFromSnapshot) == [1, 2, 0])
        #expect(deleted.files[0].deleted == 1 && deleted.files[1].deleted == 2)
        #expect(try count(db, "referrals") == 1 && count(db, "appointments") == 1 && count(db, "measures") == 2)
    }

    /// A file with quarantined rows deletes and replaces nothing: a broken export never empties
    /// the store.
    @Test func aFileWithQuarantinedRowsDeletesNothing() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        let ingestor = Ingestor(key: testKey, timeZone: london)
        _ = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t1")
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,12/01/2026,assessment,attended,cbt,video,60\n")
        folder.write("measures.csv", measuresHeader + "R1,2026-01-13,phq9,15\nR1,12/01/2026,gad7,12\n")
        var source = ExportSource(directory: folder.path)
        source.snapshotDeletes = true
        let report = try ingestor.ingest(source, into: db, startedAt: "t2")
        #expect(report.files[1].quarantined == 1 && report.files[2].quarantined == 1)
        #expect(report.files[1].deleted == 0 && report.files[2].deleted == 0 && report.files[2].replaced == 0)
        #expect(try count(db, "appointments") == 3 && count(db, "measures") == 3)
    }
}
