@testable import ConfideIngest
import ConfideModel
import ConfideStore
import Foundation
import Testing

/// Status words, strongest first, each with a source column whose name sorts neither with
/// nor against that order, so neither name order nor table order can pass for the precedence.
private let precedenceColumns: [(column: String, status: String)] = [
    ("z_practice", "cancelled_by_practice"), ("a_client", "cancelled_by_client"), ("q_cancelled", "cancelled"), ("m_dna", "dna"),
    ("y_not_seen", "late_not_seen"), ("b_late", "attended_late"), ("k_attended", "attended"),
]

private let truthyCells = ["true", "1", "TRUE", "2026-01-25T18:03:11Z", "yes", " t ", "x"]
private let falsyCells = ["", "false", "0", "No", "\tn ", "F", "FALSE", "  "]

/// Ingests the canonical referrals of ``writeValidExport(_:)`` with `appointments` as the
/// appointments file and `mapping` as its mapping.
private func ingestAppointments(_ appointments: String, _ mapping: FileMapping) throws -> (FileReport, Database) {
    let folder = TempFolder()
    writeValidExport(folder)
    folder.write("appointments.csv", appointments)
    let db = try openStore(folder)
    let source = ExportSource(path: folder.path, files: [.appointments: mapping])
    let report = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
    return (report.files[1], db)
}

/// The stored statuses, ordered by `duration_minutes`, which the tests use as a row tag.
private func statusesByTag(_ db: Database) throws -> [String] {
    try db.cachedStatement("SELECT status FROM appointments ORDER BY duration_minutes").map { $0.string(0) }
}

@Suite struct StatusColumnsTests {
    @Test(arguments: ["", " ", "\t", "false", "FALSE", "False", "0", "no", "NO", "n", "N", "f", "F", " false ", "\tno\t"])
    func unsetValues(_ value: String) throws {
        #expect(try !StatusColumns.isSet(ArraySlice(value.utf8), column: "c"))
    }

    @Test(arguments: ["true", "1", "yes", "y", "t", "2026-01-25T18:03:11Z", "00", "0.0", "nope", "falsey", "-", "é"])
    func setValues(_ value: String) throws {
        #expect(try StatusColumns.isSet(ArraySlice(value.utf8), column: "c"))
    }

    @Test func everyCombinationOfSetColumnsGivesTheStrongestStatus() throws {
        var csv = "appointment_id,referral_id,therapist_id,date,duration_minutes," + precedenceColumns.map(\.column).joined(separator: ",") + "\n"
        var expected: [String] = []
        for combination in 1..<(1 << precedenceColumns.count) {
            let cells = precedenceColumns.indices.map { bit in
                combination & (1 << bit) != 0 ? truthyCells[(combination + bit) % truthyCells.count]
                                              : falsyCells[(combination + bit) % falsyCells.count]
            }
            csv += "A\(combination),R1,T01,2026-02-02,\(combination)," + cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
            expected.append(precedenceColumns[precedenceColumns.indices.first { combination & (1 << $0) != 0 }!].status)
        }
        let mapping = FileMapping(statusColumns: Dictionary(uniqueKeysWithValues: precedenceColumns.map { ($0.column, $0.status) }))
        let (report, db) = try ingestAppointments(csv, mapping)
        #expect(report.read == 127 && report.loaded == 127 && report.quarantined == 0)
        #expect(try statusesByTag(db) == expected)
        #expect(StatusColumns.precedence.map(\.rawValue) == precedenceColumns.map(\.status))
    }

    @Test func noColumnSetIsQuarantinedAndReconciledOrTakesTheWhenUnsetWord() throws {
        let csv = """
        appointment_id,referral_id,therapist_id,date,duration_minutes,cancelled_at,did_not_arrive,patient_arrived
        A1,R1,T01,2026-01-12,1,,false,true
        A2,R1,T01,2026-01-19,2,,false,false
        A3,R2,T02,2026-01-20,3,2026-01-19T08:00:00Z,0,0
        A4,R2,T02,2026-01-27,4, ,no,N

        """
        var mapping = FileMapping(statusColumns: ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna", "patient_arrived": "attended"])
        let (report, db) = try ingestAppointments(csv, mapping)
        #expect(report.read == 4 && report.loaded == 2 && report.quarantined == 2)
        #expect(report.reasons == ["no_status_set": 2])
        #expect(report.read == report.loaded + report.quarantined && report.isReconciled)
        #expect(try db.cachedStatement("SELECT line || ':' || column_name || ':' || reason FROM quarantine ORDER BY line").map { $0.string(0) }
                == ["3:status:no_status_set", "5:status:no_status_set"])
        #expect(try db.scalarInt("SELECT quarantined FROM ingest_files WHERE file = 'appointments.csv'") == 2)
        #expect(try statusesByTag(db) == ["attended", "cancelled_by_client"])

        mapping.statusWhenUnset = "attended"
        let (unset, unsetDB) = try ingestAppointments(csv, mapping)
        #expect(unset.loaded == 4 && unset.quarantined == 0)
        #expect(try statusesByTag(unsetDB) == ["attended", "attended", "cancelled_by_client", "attended"])
    }

    @Test func aStatusColumnInTheFileIsDroppedAndTheListedColumnsAreNot() throws {
        let csv = """
        appointment_id,referral_id,therapist_id,date,status,Cancelled At,did_not_arrive,patient_name
        A1,R1,T01,2026-01-12,attended,2026-01-11T10:00:00Z,false,Imogen Fairweather

        """
        let mapping = FileMapping(statusColumns: ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna"], statusWhenUnset: "attended")
        let (report, db) = try ingestAppointments(csv, mapping)
        #expect(try db.scalarString("SELECT status FROM appointments") == "cancelled_by_client")
        #expect(report.droppedColumns == [DroppedColumn(name: "status", looksIdentifying: false),
                                          DroppedColumn(name: "patient_name", looksIdentifying: true)])
    }

    @Test func aListedColumnMissingFromTheFileIsAMissingRequiredColumn() throws {
        let csv = "appointment_id,referral_id,therapist_id,date,cancelled_at\nA1,R1,T01,2026-01-12,\n"
        let mapping = FileMapping(statusColumns: ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna"], statusWhenUnset: "attended")
        #expect(throws: IngestError.missingColumn(file: "appointments.csv", column: "did_not_arrive")) {
            try ingestAppointments(csv, mapping)
        }
        #expect(IngestError.missingColumn(file: "appointments.csv", column: "did_not_arrive").description
                == "appointments.csv: required column 'did_not_arrive' is missing from the header row. Map it in confide.toml or fix the export.")
    }

    @Test func aValueThatIsNotUTF8QuarantinesTheRowNamingTheColumnNotTheValue() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let header = Array("appointment_id,referral_id,therapist_id,date,cancelled_at,did_not_arrive\n".utf8)
        let row = Array("A1,R1,T01,2026-01-12,".utf8) + [0xC3, 0x28] + Array(",true\n".utf8)
        folder.write("appointments.csv", bytes: header + row)
        let db = try openStore(folder)
        let source = ExportSource(path: folder.path, encoding: .utf8)
        var files = source
        files.files[.appointments] = FileMapping(statusColumns: ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna"])
        let report = try Ingestor(key: testKey, timeZone: london).ingest(files, into: db, startedAt: "t")
        #expect(report.files[1].reasons == ["invalid_utf8": 1])
        #expect(try db.scalarString("SELECT column_name FROM quarantine") == "cancelled_at")
    }

    @Test func sqliteSourcesDeriveTheSameStatusesFromIntegersAndNulls() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let practice = try Database(path: folder.path + "/practice.db")
        try practice.execute("""
            CREATE TABLE referrals (referral_id TEXT, client_id TEXT, received_date TEXT);
            INSERT INTO referrals VALUES ('R1', 'C1', '2026-01-05');
            CREATE TABLE individual_appointments (id INTEGER, patient_case TEXT, practitioner INTEGER, starts_at TEXT, minutes INTEGER,
                                                  cancelled_at TEXT, did_not_arrive INTEGER, patient_arrived REAL, patient_name TEXT);
            INSERT INTO individual_appointments VALUES (1, 'R1', 71, '2026-01-12T09:00:00Z', 1, NULL, 0, 1.0, 'Imogen Fairweather');
            INSERT INTO individual_appointments VALUES (2, 'R1', 71, '2026-01-19T09:00:00Z', 2, NULL, 1, 0.0, 'Imogen Fairweather');
            INSERT INTO individual_appointments VALUES (3, 'R1', 71, '2026-01-26T09:00:00Z', 3, '2026-01-25T18:03:11Z', 0, 0, NULL);
            INSERT INTO individual_appointments VALUES (4, 'R1', 71, '2026-02-02T09:00:00Z', 4, '', NULL, NULL, NULL);
            CREATE TABLE measures (referral_id TEXT, date TEXT, instrument TEXT, score INTEGER);
            """)
        let db = try openStore(folder)
        let source = ExportSource(format: .sqlite, path: folder.path + "/practice.db", files: [
            .appointments: FileMapping(table: "individual_appointments", columns: [
                "appointment_id": "id", "referral_id": "patient_case", "therapist_id": "practitioner", "date": "starts_at",
                "duration_minutes": "minutes",
            ], statusColumns: ["cancelled_at": "cancelled_by_client", "did_not_arrive": "dna", "patient_arrived": "attended"]),
        ])
        let report = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
        let appointments = report.files[1]
        #expect(appointments.read == 4 && appointments.loaded == 3 && appointments.reasons == ["no_status_set": 1] && appointments.isReconciled)
        #expect(try statusesByTag(db) == ["attended", "dna", "cancelled_by_client"])
        #expect(appointments.droppedColumns == [DroppedColumn(name: "patient_name", looksIdentifying: true)])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite"))
        bytes += (try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite-wal"))) ?? Data()
        for raw in ["2026-01-25T18:03:11Z", "18:03:11", "Imogen Fairweather"] {
            #expect(bytes.range(of: Data(raw.utf8)) == nil, "a raw source value reached the store")
        }

        var missing = source
        missing.files[.appointments]?.statusColumns["arrived_at"] = "attended"
        #expect(throws: IngestError.missingColumn(file: "individual_appointments", column: "arrived_at")) {
            try Ingestor(key: testKey, timeZone: london).ingest(missing, into: db, startedAt: "t")
        }
    }

    @Test func mappingProblemsNameTheKeys() {
        let columns = ["cancelled_at": "cancelled_by_client"]
        func problems(_ mapping: FileMapping, _ file: CanonicalFile = .appointments) -> [String] {
            mapping.problems(for: file, format: .csv)
        }
        #expect(problems(FileMapping(statusColumns: columns, statusWhenUnset: "attended")).isEmpty)
        #expect(problems(FileMapping(columns: ["status": "Status"], statusColumns: columns))
                == ["[source.appointments]: columns.status and status_columns are both given; use one (status_columns derives the status from several columns)"])
        #expect(problems(FileMapping(values: ["status": ["Arrived": "attended"]], statusColumns: columns)).first?.contains("values.status has no effect with status_columns") == true)
        #expect(problems(FileMapping(statusColumns: ["cancelled_at": "canceled"])).first?
            .hasPrefix("[source.appointments.status_columns] \"cancelled_at\" maps to 'canceled', not a status word (one of: attended,") == true)
        #expect(problems(FileMapping(statusColumns: columns, statusWhenUnset: "arrived")).first?
            .hasPrefix("[source.appointments] status_when_unset 'arrived' is not a status word") == true)
        #expect(problems(FileMapping(statusWhenUnset: "attended"))
                == ["[source.appointments] status_when_unset applies only with [source.appointments.status_columns]"])
        #expect(problems(FileMapping(statusColumns: columns), .referrals)
                == ["[source.referrals]: status_columns and status_when_unset apply only to [source.appointments]"])
    }

    @Test func withoutStatusColumnsTheStatusColumnIsStillRequired() throws {
        let csv = "appointment_id,referral_id,therapist_id,date,cancelled_at\nA1,R1,T01,2026-01-12,\n"
        #expect(throws: IngestError.missingColumn(file: "appointments.csv", column: "status")) {
            try ingestAppointments(csv, FileMapping())
        }
    }
}
