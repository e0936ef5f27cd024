@testable import ConfideIngest
import ConfideStore
import Foundation
import Testing

@Suite struct IngestTests {
    @Test func loadsValidExportAndReconciles() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        #expect(report.files.map(\.file) == ["referrals.csv", "appointments.csv", "measures.csv"])
        #expect(report.files.map(\.read) == [2, 3, 2])
        #expect(report.files.map(\.inserted) == [2, 3, 2])
        #expect(report.files.allSatisfy { $0.isReconciled })
        #expect(try db.scalarInt("SELECT age FROM referrals WHERE referral_id = ?", [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.referral, "R1"))]) == 35)
        #expect(try db.scalarString("SELECT postcode_district FROM referrals WHERE postcode_district IS NOT NULL") == "LS6")
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_files") == 3)
    }

    @Test func storesPseudonymsNeverRawIdentifiers() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let clients = try db.cachedStatement("SELECT client_id FROM referrals").map { $0.hex(0) }
        #expect(!clients.contains("C1"))
        #expect(clients.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        // Kept as 16-byte BLOBs (schema version 10), never as text.
        #expect(try db.scalarString("SELECT group_concat(DISTINCT typeof(client_id) || length(client_id)) FROM referrals") == "blob16")
        let pseudonymizer = Pseudonymizer(key: testKey)
        #expect(clients.contains(pseudonymizer.pseudonym(.client, "C1")))
        #expect(pseudonymizer.pseudonym(.client, "C1") != pseudonymizer.pseudonym(.referral, "C1"))
        let other = Pseudonymizer(key: try PracticeKey(bytes: Array(repeating: 8, count: 32)))
        #expect(other.pseudonym(.client, "C1") != pseudonymizer.pseudonym(.client, "C1"))
    }

    @Test func reIngestIsIdempotentAndUpdatesAreCounted() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        let ingestor = Ingestor(key: testKey, timeZone: london)
        _ = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t1")
        let again = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t2")
        #expect(again.files.map(\.unchanged) == [2, 3, 2])
        #expect(again.files.map(\.inserted) == [0, 0, 0])
        folder.write("measures.csv", measuresHeader + "R1,2026-01-12,phq9,14\nR1,2026-01-12,gad7,12\n")
        let updated = try ingestor.ingest(ExportSource(directory: folder.path), into: db, startedAt: "t3")
        #expect(updated.files[2].updated == 1 && updated.files[2].unchanged == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM measures") == 2)
    }

    @Test func quarantinesBadRowsWithReasonsAndNoValues() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("appointments.csv", appointmentsHeader + """
        A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60
        A2,R9,T01,2026-01-19,treatment,attended,cbt,video,50
        A3,R1,T01,2026-02-30,treatment,attended,cbt,video,50
        A4,R1,T01,2026-01-26,treatment,Maybe came,cbt,video,50
        A5,R1,T01,2026-01-26,treatment,attended,cbt
        A1,R1,T01,2026-01-12,assessment,dna,cbt,video,60
        A6,R1,Jane <j@x.org>,2026-01-26,treatment,attended,cbt,video,50
        ,,,,,,,,

        """)
        folder.write("measures.csv", measuresHeader + "R1,2026-01-12,phq9,28\nR1,2026-01-12,bdi,10\nR1,2026-01-12,gad7,x\n")
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let appointments = report.files[1]
        #expect(appointments.read == 8 && appointments.loaded == 1 && appointments.quarantined == 7)
        #expect(appointments.reasons == ["unknown_referral": 1, "bad_date": 1, "unknown_status": 1, "ragged_row": 1,
                                         "duplicate_conflict": 1, "bad_therapist_id": 1, "empty_row": 1])
        #expect(report.files[2].reasons == ["score_out_of_range": 1, "unknown_instrument": 1, "bad_score": 1])
        let lines = try db.cachedStatement("SELECT line, column_name, reason FROM quarantine WHERE file = 'appointments.csv' ORDER BY line")
            .map { "\($0.int(0)):\($0.string(1)):\($0.string(2))" }
        #expect(lines.first == "3:referral_id:unknown_referral")
        let dump = try db.cachedStatement("SELECT file || column_name || reason FROM quarantine").map { $0.string(0) }.joined()
        #expect(!dump.contains("Maybe") && !dump.contains("j@x.org") && !dump.contains("R9"))
    }

    @Test func dropsUnknownColumnsAndFlagsIdentifyingOnes() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("referrals.csv", "client_name,referral_id,client_id,received_date,email,NHS Number,favourite_colour\n"
                     + "Ann Smith,R1,C1,2026-01-05,ann@example.org,9434765919,blue\n")
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let dropped = report.files[0].droppedColumns
        #expect(dropped.map(\.name) == ["client_name", "email", "NHS Number", "favourite_colour"])
        #expect(dropped.map(\.looksIdentifying) == [true, true, true, false])
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite"))
            + ((try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite-wal"))) ?? Data())
        for planted in ["Ann Smith", "ann@example.org", "9434765919", "blue"] {
            #expect(storeBytes.range(of: Data(planted.utf8)) == nil, "\(planted) reached the store")
        }
    }

    @Test func outOfVocabularyWordsBecomeTheFallbackAndAreCounted() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("referrals.csv", referralsHeader + "R1,C1,2026-01-05,,Woman (she/her),White British,,GP,Low mood after divorce,,\n")
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        #expect(report.files[0].outOfVocabulary == ["gender": 1, "ethnicity": 1, "presenting_problem": 1])
        let stored = try db.cachedStatement("SELECT gender, ethnicity, referral_source, presenting_problem FROM referrals").map {
            [$0.string(0), $0.string(1), $0.string(2), $0.string(3)]
        }
        #expect(stored == [["other", "other", "gp", "other"]])
    }

    @Test func unusableInputThrowsAndLeavesTheStoreUnchanged() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        folder.write("measures.csv", "referral_id,date,score\nR1,2026-01-12,3\n")
        #expect(throws: IngestError.missingColumn(file: "measures.csv", column: "instrument")) {
            try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        }
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM ingest_runs") == 0)
        try FileManager.default.removeItem(atPath: folder.path + "/measures.csv")
        #expect(throws: IngestError.self) {
            try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        }
    }

    @Test func mappedColumnsAndUKDates() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("referrals.csv", "Ref,Client,Received\nR1,C1,05/01/2026\n")
        let source = ExportSource(directory: folder.path, columns: [.referrals: ["referral_id": "Ref", "client_id": "Client", "received_date": "Received"]],
                               dateOrder: .dayMonthYear)
        folder.write("appointments.csv", appointmentsHeader)
        folder.write("measures.csv", measuresHeader)
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
        #expect(report.files[0].inserted == 1)
        #expect(try db.scalarString("SELECT received_date FROM referrals") == "2026-01-05")
    }
}

@Suite struct FieldTests {
    @Test func dateTimesAreReadInThePracticeZone() {
        let parser = DateParser(timeZone: london)
        #expect(parser.day("2026-06-30T23:30:00Z")?.iso == "2026-07-01")  // BST: 00:30 local
        #expect(parser.day("2026-12-31T23:30:00Z")?.iso == "2026-12-31")  // GMT
        #expect(parser.day("2026-06-30T23:30:00+01:00")?.iso == "2026-06-30")
        #expect(parser.day("2026-06-30 08:00")?.iso == "2026-06-30")
        #expect(parser.day("2026-06-30T25:00") == nil)
        #expect(DateParser(order: .dayMonthYear, timeZone: london).day("31/12/2026")?.iso == "2026-12-31")
        #expect(DateParser(order: .dayMonthYear, timeZone: london).day("2026-12-31") == nil)
    }

    @Test func postcodesReduceToTheirDistrict() {
        #expect(postcodeDistrict("LS6 2AB") == "LS6")
        #expect(postcodeDistrict("sw1a1aa") == "SW1A")
        #expect(postcodeDistrict("M1 1AE") == "M1")
        #expect(postcodeDistrict("EC1") == "EC1")
        #expect(postcodeDistrict("not a postcode") == nil)
        #expect(postcodeDistrict("12345") == nil)
    }

    @Test func keyFingerprintIsStableAndDiffersByKey() throws {
        let other = try PracticeKey(bytes: Array(repeating: 9, count: 32))
        #expect(testKey.fingerprint == testKey.fingerprint)
        #expect(testKey.fingerprint != other.fingerprint)
        #expect(throws: PseudonymError.keyTooShort(16)) { try PracticeKey(bytes: Array(repeating: 1, count: 16)) }
    }
}

@Suite struct RestrictedColumnTests {
    @Test func theRestrictedColumnIsStoredAsAFlagCountedAndNeverAsTyped() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("referrals.csv", "referral_id,client_id,received_date,restricted\n"
            + "R1,C1,2026-01-05,yes\nR2,C2,2026-01-06,no\nR3,C3,2026-01-06,\nR4,C4,2026-01-07,Staff member\n")
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        let referrals = report.files[0]
        #expect(referrals.loaded == 4 && referrals.restricted == 2 && referrals.isReconciled)
        // A word outside yes/no restricts (the safe side) and is counted, never stored as typed.
        #expect(referrals.outOfVocabulary == ["restricted": 1])
        #expect(try db.scalarInt("SELECT sum(restricted) FROM referrals") == 2)
        #expect(try db.scalarInt("SELECT restricted FROM ingest_files WHERE file = 'referrals.csv'") == 2)
        #expect(try db.scalarInt("SELECT count(*) FROM referrals WHERE client_id LIKE '%Staff%'") == 0)
        // Unmarking updates the stored flag.
        folder.write("referrals.csv", "referral_id,client_id,received_date,restricted\n"
            + "R1,C1,2026-01-05,no\nR2,C2,2026-01-06,no\nR3,C3,2026-01-06,\nR4,C4,2026-01-07,yes\n")
        let again = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
        #expect(again.files[0].updated == 1 && again.files[0].restricted == 1)
        #expect(try db.scalarInt("SELECT sum(restricted) FROM referrals") == 1)
    }
}
