@testable import ConfideIngest
import ConfideSchema
import ConfideStore
import Foundation
import Testing

@Suite struct WaitingAndSnapshotTests {
    private func ingest(_ folder: TempFolder, _ db: Database, mode: ExportSource.Mode = .snapshot) throws -> IngestReport {
        var source = ExportSource(path: folder.path)
        source.mode = mode
        return try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
    }

    /// The valid export with an appointment and a score of referral R9, which it lacks.
    private func exportWaitingForR9() -> TempFolder {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\nA9,R9,T01,2026-01-19,treatment,dna,cbt,video,50\n")
        folder.write("measures.csv", measuresHeader + "R9,2026-01-19,phq9,12\n")
        return folder
    }

    @Test func rowsWaitForTheirReferralAndLoadWhenItArrives() throws {
        let folder = exportWaitingForR9()
        let db = try openStore(folder)
        let first = try ingest(folder, db, mode: .delta)
        #expect(first.files[1].reasons == ["unknown_referral": 1] && first.files[1].isReconciled)
        #expect(first.files[2].reasons == ["unknown_referral": 1])
        #expect(first.waiting.isEmpty)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_appointments") == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_measures") == 1)
        let pending = try db.cachedStatement("SELECT appointment_id, referral_id FROM pending_appointments").map { [$0.hex(0), $0.hex(1)] }
        #expect(pending == [[Pseudonymizer(key: testKey).pseudonym(.appointment, "A9"), Pseudonymizer(key: testKey).pseudonym(.referral, "R9")]])

        // A delta export: R9 arrives; the waiting rows are not in it and load from the store.
        folder.write("referrals.csv", referralsHeader + "R9,C9,2026-01-10,,female,white,,gp,depression,,\n")
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let second = try ingest(folder, db, mode: .delta)
        #expect(second.waiting.map(\.file) == ["appointments.csv (waiting)", "measures.csv (waiting)"])
        #expect(second.waiting.map(\.inserted) == [1, 1])
        #expect(second.waiting.allSatisfy { $0.isReconciled && $0.quarantined == 0 })
        #expect(second.missingFromSnapshot == nil)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments WHERE appointment_id = ?", [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.appointment, "A9"))]) == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_appointments") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_measures") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_files WHERE file LIKE '%(waiting)'") == 2)
    }

    /// Rows waiting in a store written before schema version 10 (hex text keys) are carried
    /// over by the upgrade and load when their referral arrives.
    @Test func rowsWaitingInAVersionNineStoreLoadAfterTheUpgrade() throws {
        let folder = exportWaitingForR9()
        let loaded = try openStore(folder)
        _ = try ingest(folder, loaded, mode: .delta)
        // The same rows as version 9 held them: every key as 32 hex digits.
        let old = try Database(path: folder.path + "/old.sqlite")
        try Migrator(steps: Array(Schema.migrator.steps.prefix(9))).migrate(old)
        try old.execute("ATTACH DATABASE ? AS loaded", [folder.path + "/store.sqlite"])
        try old.write { db in
            for table in ["referrals", "appointments", "measures", "pending_appointments", "pending_measures", "ingest_runs", "ingest_files"] {
                let columns = try db.makeStatement("SELECT name FROM pragma_table_info(?)").map([table]) { $0.string(0) }
                // The loaded store's contacts and scores name their referral by key (version 14).
                let byKey = table == "appointments" || table == "measures"
                let selected = columns.map { column -> String in
                    if column == "referral_id", byKey {
                        return "lower(hex((SELECT r.referral_id FROM loaded.referrals r WHERE r.referral_key = loaded.\(table).referral_key)))"
                    }
                    return ["referral_id", "client_id", "appointment_id"].contains(column) ? "lower(hex(\(column)))" : column
                }
                try db.execute("INSERT INTO main.\(table) (\(columns.joined(separator: ", "))) SELECT \(selected.joined(separator: ", ")) FROM loaded.\(table)")
            }
        }
        try old.execute("DETACH DATABASE loaded")
        #expect(try old.scalarString("SELECT typeof(referral_id) || length(referral_id) FROM pending_appointments") == "text32")

        try Schema.migrator.migrate(old)
        #expect(try old.scalarString("SELECT typeof(referral_id) || length(referral_id) FROM pending_appointments") == "blob16")
        #expect(try old.scalarString("SELECT typeof(referral_id) || length(referral_id) FROM pending_measures") == "blob16")
        folder.write("referrals.csv", referralsHeader + "R9,C9,2026-01-10,,female,white,,gp,depression,,\n")
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let second = try ingest(folder, old, mode: .delta)
        #expect(second.waiting.map(\.inserted) == [1, 1])
        #expect(try old.scalarInt("SELECT count(*) FROM appointments WHERE appointment_id = ?",
                                  [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.appointment, "A9"))]) == 1)
        #expect(try old.scalarInt("SELECT count(*) FROM measures JOIN referrals USING (referral_key) WHERE referral_id = ?",
                                  [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.referral, "R9"))]) == 1)
        #expect(try old.scalarInt("SELECT count(*) FROM pending_appointments") == 0)
    }

    @Test func aWaitingRowExportedAgainLoadsDirectlyAndStopsWaiting() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let appointments = appointmentsHeader + "A9,R9,T01,2026-01-19,treatment,dna,cbt,video,50\n"
        folder.write("appointments.csv", appointments)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_appointments") == 1)
        folder.write("referrals.csv", referralsHeader + "R9,C9,2026-01-10,,female,white,,gp,depression,,\n")
        let second = try ingest(folder, db)
        #expect(second.files[1].inserted == 1)
        #expect(second.waiting.isEmpty)
        #expect(try db.scalarInt("SELECT count(*) FROM pending_appointments") == 0)
    }

    @Test func stillWaitingRowsAreCountedAsQuarantinedEachRun() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("appointments.csv", appointmentsHeader + "A9,R9,T01,2026-01-19,treatment,dna,cbt,video,50\n")
        let db = try openStore(folder)
        _ = try ingest(folder, db, mode: .delta)
        folder.write("appointments.csv", appointmentsHeader)
        let second = try ingest(folder, db, mode: .delta)
        #expect(second.waiting.count == 1)
        #expect(second.waiting[0].read == 1 && second.waiting[0].reasons == ["unknown_referral": 1])
    }

    @Test func snapshotReportsMissingReferralsAndNeverDeletesThem() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        let first = try ingest(folder, db)
        #expect(first.missingFromSnapshot == 0)
        folder.write("referrals.csv", referralsHeader + "R1,C1,2026-01-05,1990-03-01,female,white,LS6 2AB,gp,depression,,\n")
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let second = try ingest(folder, db)
        #expect(second.missingFromSnapshot == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") == 2)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments") == 3)
        #expect(try db.scalarInt("SELECT missing_from_snapshot FROM ingest_runs ORDER BY run_id DESC LIMIT 1") == 1)
        let delta = try ingest(folder, db, mode: .delta)
        #expect(delta.missingFromSnapshot == nil)
    }

    @Test func reconciliationHoldsForEveryFileOfEveryRun() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        for _ in 0..<3 { _ = try ingest(folder, db) }
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_files WHERE read <> inserted + updated + unchanged + quarantined") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_files") == 9)
        #expect(try db.scalarInt("SELECT sum(inserted) FROM ingest_files WHERE run_id > 1") == 0)
    }
}
