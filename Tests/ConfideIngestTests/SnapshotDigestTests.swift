@testable import ConfideIngest
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// Snapshot re-ingest by row digest (issue 17): a record the store loaded before is recognised
/// by its keyed digest and counted unchanged without being parsed or written.
@Suite struct SnapshotDigestTests {
    private func ingest(_ folder: TempFolder, _ db: Database, key: PracticeKey = testKey, deletes: Bool = false) throws -> IngestReport {
        var source = ExportSource(directory: folder.path)
        source.snapshotDeletes = deletes
        return try Ingestor(key: key, timeZone: london).ingest(source, into: db, startedAt: "t")
    }

    /// Every stored column of the three data tables (`seen_run` and the digest included), in key order.
    private func dataChecksum(_ db: Database) throws -> [String] {
        var rows: [String] = []
        for table in ["referrals", "appointments", "measures"] {
            let columns = try db.makeStatement("SELECT name FROM pragma_table_info(?1) ORDER BY cid").map([table]) { $0.string(0) }
            let select = "SELECT quote(" + columns.joined(separator: ") || ',' || quote(") + ") FROM \(table) ORDER BY 1"
            rows += try db.makeStatement(select).map([]) { "\(table): " + $0.string(0) }
        }
        return rows
    }

    private func digests(_ db: Database, _ table: String) throws -> Set<Int> {
        Set(try db.makeStatement("SELECT row_digest FROM \(table)").map([]) { $0.int(0) })
    }

    @Test func anUnchangedReingestCountsEveryRowUnchangedAndWritesNoRow() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments WHERE row_digest IS NULL") == 0)
        let before = try dataChecksum(db)
        let changesBefore = try db.scalarInt("SELECT total_changes()") ?? -1
        let again = try ingest(folder, db)
        #expect(again.files.map(\.read) == [2, 3, 2])
        #expect(again.files.map(\.unchanged) == [2, 3, 2])
        #expect(again.files.allSatisfy { $0.inserted == 0 && $0.updated == 0 && $0.quarantined == 0 && $0.isReconciled })
        #expect(again.files.map(\.missingFromSnapshot) == [0, 0, 0])
        #expect(again.missingFromSnapshot == 0)
        #expect(try dataChecksum(db) == before, "no data row was touched, not even seen_run")
        // The run log: one ingest_runs row, its update, three ingest_files rows.
        #expect(try db.scalarInt("SELECT total_changes()") == changesBefore + 5)
    }

    @Test func aChangedRowAmongUnchangedOnesIsUpdated() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        folder.write("appointments.csv", appointmentsHeader + """
        A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60
        A2,R1,T01,2026-01-19,treatment,attended,cbt,video,50
        A3,R2,T02,2026-01-20T09:30:00Z,treatment,attended,counselling,in_person,

        """)
        let report = try ingest(folder, db)
        #expect(report.files[1].updated == 1 && report.files[1].unchanged == 2)
        let a2 = Pseudonymizer(key: testKey).pseudonym(.appointment, "A2")
        #expect(try db.scalarString("SELECT status FROM appointments WHERE appointment_id = ?", [DatabaseValue.blob(hex: a2)]) == "attended")
        #expect(report.files.map(\.missingFromSnapshot) == [0, 0, 0])
        // The updated row's digest is the new record's: the next run recognises it.
        let third = try ingest(folder, db)
        #expect(third.files.map(\.unchanged) == [2, 3, 2])
    }

    @Test func aRowMadeInvalidIsQuarantinedNotUnchanged() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        folder.write("measures.csv", measuresHeader + "R1,2026-01-12,phq9,15\nR1,2026-01-12,gad7,99\n")
        let report = try ingest(folder, db)
        #expect(report.files[2].quarantined == 1 && report.files[2].unchanged == 1)
        #expect(report.files[2].reasons == ["score_out_of_range": 1])
        #expect(report.files[2].isReconciled)
        #expect(try db.scalarInt("SELECT count(*) FROM quarantine WHERE file = 'measures.csv' AND line = 3") == 1)
    }

    @Test func aRowRemovedFromTheSnapshotIsStillReportedMissingAndDeletedWhenAsked() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\nA3,R2,T02,2026-01-20T09:30:00Z,treatment,attended,counselling,in_person,\n")
        let kept = try ingest(folder, db)
        #expect(kept.files.map(\.missingFromSnapshot) == [0, 1, 0])
        #expect(kept.files[1].unchanged == 2)
        let deleted = try ingest(folder, db, deletes: true)
        #expect(deleted.files[1].deleted == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments") == 2)

        // A re-dated score replaces its old row although its sibling was recognised unparsed.
        folder.write("measures.csv", measuresHeader + "R1,2026-01-13,phq9,15\nR1,2026-01-12,gad7,12\n")
        let redated = try ingest(folder, db)
        #expect(redated.files[2].inserted == 1 && redated.files[2].unchanged == 1 && redated.files[2].replaced == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM measures") == 2)
    }

    @Test func aConflictWithARecognisedRowIsQuarantinedWhicheverComesFirst() throws {
        for changedFirst in [false, true] {
            let folder = TempFolder()
            writeValidExport(folder)
            let db = try openStore(folder)
            _ = try ingest(folder, db)
            let stored = "A2,R1,T01,2026-01-19,treatment,dna,cbt,video,50\n", changed = "A2,R1,T01,2026-01-19,treatment,attended,cbt,video,50\n"
            folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\n"
                         + (changedFirst ? changed + stored : stored + changed))
            let report = try ingest(folder, db)
            #expect(report.files[1].reasons == ["duplicate_conflict": 1], "changed first: \(changedFirst)")
            #expect(report.files[1].isReconciled)
            #expect(try db.scalarInt("SELECT line FROM quarantine WHERE file = 'appointments.csv'") == 4, "the second of the two")
            let a2 = Pseudonymizer(key: testKey).pseudonym(.appointment, "A2")
            #expect(try db.scalarString("SELECT status FROM appointments WHERE appointment_id = ?", [DatabaseValue.blob(hex: a2)]) == (changedFirst ? "attended" : "dna"))
        }
    }

    @Test func aDifferentKeyGivesDifferentDigests() throws {
        let first = TempFolder(), second = TempFolder()
        writeValidExport(first)
        writeValidExport(second)
        let db1 = try openStore(first), db2 = try openStore(second)
        _ = try ingest(first, db1)
        _ = try ingest(second, db2, key: try PracticeKey(bytes: Array(repeating: 8, count: 32)))
        for table in ["referrals", "appointments", "measures"] {
            let one = try digests(db1, table), two = try digests(db2, table)
            #expect(!one.isEmpty && one.isDisjoint(with: two), "\(table)")
        }
        // Reproducible under one key: the same store content from a second, identical load.
        let third = TempFolder()
        writeValidExport(third)
        let db3 = try openStore(third)
        _ = try ingest(third, db3)
        #expect(try digests(db1, "appointments") == digests(db3, "appointments"))
    }

    @Test func sipHashMatchesTheReferenceVector() {
        // SipHash-2-4 paper, appendix A: key 00…0f, message 00…0e.
        let hash = SipHash24(key: Array(0..<16)).hash(Array(0..<15))
        #expect(hash == 0xa129_ca61_49be_45e5)
        #expect(SipHash24(key: Array(0..<16)).hash([]) == 0x726f_db47_dd0e_0e31)
    }

    @Test func aStoreFromBeforeVersion8MigratesAndItsFirstSnapshotComparesTheOldWay() throws {
        // A version-7 store holding the rows an earlier confide loaded (copied from a loaded store).
        let loaded = TempFolder()
        writeValidExport(loaded)
        let source = try openStore(loaded)
        _ = try ingest(loaded, source)
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try Database(path: folder.path + "/store.sqlite")
        try Migrator(steps: Array(Schema.migrator.steps.prefix(7))).migrate(db)
        try db.execute("ATTACH DATABASE ? AS loaded", [loaded.path + "/store.sqlite"])
        try db.write { db in
            for (table, columns) in [("referrals", "referral_id, client_id, received_date, age, gender, ethnicity, postcode_district, referral_source, presenting_problem, end_date, end_reason, restricted, seen_run"),
                                     ("appointments", "appointment_id, referral_id, therapist_id, date, kind, status, modality, delivery, duration_minutes, seen_run"),
                                     ("measures", "referral_id, date, instrument, score, seen_run")] {
                // The keys as that confide stored them: 32 hex digits.
                // The loaded store's contacts and scores name their referral by key (version 14).
                let selected = columns.split(separator: ", ").map { column -> String in
                    if column == "referral_id", table != "referrals" {
                        return "lower(hex((SELECT r.referral_id FROM loaded.referrals r WHERE r.referral_key = loaded.\(table).referral_key)))"
                    }
                    return column.hasSuffix("_id") && column != "therapist_id" ? "lower(hex(\(column)))" : String(column)
                }
                try db.execute("INSERT INTO main.\(table) (\(columns)) SELECT \(selected.joined(separator: ", ")) FROM loaded.\(table)")
            }
            try db.execute("INSERT INTO main.ingest_runs SELECT * FROM loaded.ingest_runs")
        }
        try db.execute("DETACH DATABASE loaded")
        try Schema.migrator.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Schema.migrator.latestVersion)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments WHERE row_digest IS NULL") == 3)

        // No digests yet: each row is compared as before (and touched), and its digest filled in.
        let first = try ingest(folder, db)
        #expect(first.files.map(\.unchanged) == [2, 3, 2] && first.files.map(\.missingFromSnapshot) == [0, 0, 0])
        for table in ["referrals", "appointments", "measures"] {
            #expect(try db.scalarInt("SELECT count(*) FROM \(table) WHERE row_digest IS NULL") == 0, "\(table)")
        }
        #expect(try digests(db, "appointments") == digests(source, "appointments"))
        // Then by digest, with a row gone still reported.
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60\n")
        let second = try ingest(folder, db)
        #expect(second.files.map(\.unchanged) == [2, 1, 2] && second.files.map(\.missingFromSnapshot) == [0, 2, 0])
    }
}
