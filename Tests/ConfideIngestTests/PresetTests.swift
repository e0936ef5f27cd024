@testable import ConfideIngest
import ConfideModel
import ConfideStore
import Foundation
import Testing

/// Ingests a preset's sample export and returns the report, the store and its folder.
private func ingest(_ preset: Preset, _ files: [String: String]) throws -> (IngestReport, Database, TempFolder) {
    let folder = TempFolder()
    for (name, text) in files { folder.write(name, text) }
    let db = try openStore(folder)
    let source = ExportSource(path: folder.path, files: preset.files, dateOrder: preset.dateOrder)
    let report = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
    return (report, db, folder)
}

private func statuses(_ db: Database) throws -> [String] {
    try db.cachedStatement("SELECT status FROM appointments ORDER BY date").map { $0.string(0) }
}

/// Every planted identifier is absent from the store file and its WAL.
private func expectNothingPlanted(_ folder: TempFolder) throws {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite"))
    bytes += (try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite-wal"))) ?? Data()
    for value in PresetSamples.planted {
        #expect(bytes.range(of: Data(value.utf8)) == nil, "a planted value reached the store")
    }
}

@Suite struct PresetTests {
    @Test func everyPresetIsAValidMapping() {
        for preset in Preset.all {
            let source = ExportSource(path: "/x", files: preset.files, dateOrder: preset.dateOrder)
            #expect(source.problems().isEmpty, "\(preset.name): \(source.problems())")
        }
        #expect(Preset.named("Cliniko")?.name == "cliniko")
        #expect(Preset.named("unknown") == nil)
    }

    @Test func cliniko() throws {
        let (report, db, folder) = try ingest(.cliniko, PresetSamples.cliniko)
        #expect(report.files.map(\.file) == ["Cases.csv", "Appointments.csv", "Outcome Measures.csv"])
        #expect(report.files.map(\.loaded) == [2, 5, 3])
        #expect(report.files.allSatisfy { $0.quarantined == 0 && $0.isReconciled })
        // Cliniko records a cancellation, not who made it: `Cancelled` is `cancelled`; a late
        // cancellation (its fee is the client's) is the client's.
        #expect(try statuses(db) == ["attended", "dna", "dna", "cancelled", "cancelled_by_client"])
        #expect(try db.scalarString("SELECT group_concat(kind) FROM (SELECT kind FROM appointments ORDER BY date)")
                == "assessment,treatment,assessment,treatment,treatment")
        #expect(try db.scalarString("SELECT group_concat(end_reason) FROM referrals") == "completed")
        let dropped = Dictionary(uniqueKeysWithValues: report.files[1].droppedColumns.map { ($0.name, $0.looksIdentifying) })
        #expect(dropped["Patient Name"] == true && dropped["Telehealth URL"] == true && dropped["Booking IP Address"] == true
                && dropped["Notes"] == true)
        try expectNothingPlanted(folder)
    }

    @Test func clinikoAPIDerivesTheStatusAndStoresNoRawValue() throws {
        let (report, db, folder) = try ingest(.clinikoAPI, PresetSamples.clinikoAPI)
        #expect(report.files.map(\.file) == ["referrals.csv", "individual_appointments.csv", "measures.csv"])
        #expect(report.files.map(\.loaded) == [2, 6, 2])
        #expect(report.files.allSatisfy { $0.quarantined == 0 && $0.isReconciled })
        // By date: arrived; did not arrive; neither (attended, as Cliniko counts it); cancelled;
        // cancelled although both flags are set (cancellation outranks both); DNA outranks arrived.
        #expect(try statuses(db) == ["attended", "dna", "attended", "cancelled", "cancelled", "dna"])
        #expect(try db.scalarString("SELECT group_concat(kind) FROM (SELECT kind FROM appointments ORDER BY date)")
                == "assessment,treatment,assessment,treatment,treatment,treatment")
        #expect(try db.scalarString("SELECT group_concat(therapist_id) FROM (SELECT therapist_id FROM appointments ORDER BY date)")
                == "71,71,72,71,72,72")
        // The status columns are read, so they are neither dropped nor flagged.
        let dropped = report.files[1].droppedColumns
        #expect(dropped.map(\.name) == ["ends_at", "cancellation_note", "patient_name", "notes", "telehealth_url", "booking_ip_address"])
        #expect(dropped.filter(\.looksIdentifying).map(\.name) == ["cancellation_note", "patient_name", "notes", "telehealth_url", "booking_ip_address"])
        try expectNothingPlanted(folder)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite"))
        bytes += (try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/store.sqlite-wal"))) ?? Data()
        for value in PresetSamples.clinikoAPIRaw {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "a raw status or identifier value reached the store")
        }
    }

    @Test func clinikoAPIWithoutWhenUnsetQuarantinesRowsWithNoStatusSet() throws {
        var preset = Preset.clinikoAPI.files
        preset[.appointments]?.statusWhenUnset = nil
        let folder = TempFolder()
        for (name, text) in PresetSamples.clinikoAPI { folder.write(name, text) }
        let db = try openStore(folder)
        let report = try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(path: folder.path, files: preset), into: db, startedAt: "t")
        let appointments = report.files[1]
        #expect(appointments.read == 6 && appointments.loaded == 5 && appointments.reasons == ["no_status_set": 1])
        #expect(appointments.isReconciled)
        #expect(try db.scalarString("SELECT line || ':' || column_name || ':' || reason FROM quarantine") == "5:status:no_status_set")
    }

    @Test func simplePractice() throws {
        let (report, db, folder) = try ingest(.simplePractice, PresetSamples.simplePractice)
        #expect(report.files.map(\.loaded) == [2, 5, 2])
        #expect(report.files.allSatisfy { $0.quarantined == 0 })
        // `Late Cancelled` is billed to the client, so it is the client's; `Canceled` says not by whom.
        #expect(try statuses(db) == ["attended", "dna", "attended", "cancelled_by_client", "cancelled"])
        #expect(try db.scalarString("SELECT group_concat(delivery) FROM (SELECT delivery FROM appointments ORDER BY date)")
                == "video,video,in_person,in_person,video")
        #expect(try db.scalarString("SELECT received_date FROM referrals ORDER BY received_date LIMIT 1") == "2026-01-06")
        #expect(report.files[0].droppedColumns.filter(\.looksIdentifying).map(\.name).sorted() == ["Email", "First Name", "Last Name", "Phone"])
        try expectNothingPlanted(folder)
    }

    @Test func writeUpp() throws {
        let (report, db, folder) = try ingest(.writeUpp, PresetSamples.writeUpp)
        #expect(report.files.map(\.loaded) == [2, 5, 2])
        #expect(report.files.allSatisfy { $0.quarantined == 0 })
        #expect(try statuses(db) == ["attended", "dna", "attended_late", "cancelled_by_practice", "cancelled_by_client"])
        #expect(try db.scalarString("SELECT group_concat(presenting_problem) FROM (SELECT presenting_problem FROM referrals ORDER BY received_date)")
                == "depression,gad")
        #expect(try db.scalarString("SELECT group_concat(postcode_district) FROM (SELECT postcode_district FROM referrals ORDER BY received_date)") == "LS6,M1")
        try expectNothingPlanted(folder)
    }

    @Test func halaxy() throws {
        let (report, db, folder) = try ingest(.halaxy, PresetSamples.halaxy)
        #expect(report.files.map(\.loaded) == [2, 4, 2])
        #expect(try statuses(db) == ["attended", "dna", "attended", "cancelled"])
        #expect(try db.scalarString("SELECT group_concat(delivery) FROM (SELECT delivery FROM appointments ORDER BY date)")
                == "video,video,phone,in_person")
        #expect(report.files[1].droppedColumns.map(\.name).contains("Telehealth Link"))
        try expectNothingPlanted(folder)
    }

    @Test func nhsTalkingTherapiesCodes() throws {
        let (report, db, folder) = try ingest(.nhsTalkingTherapies, PresetSamples.nhsTalkingTherapies)
        #expect(report.files.map(\.loaded) == [3, 6, 3])
        #expect(try statuses(db) == ["attended", "attended_late", "cancelled_by_client", "late_not_seen", "dna", "cancelled_by_practice"])
        #expect(try db.cachedStatement("SELECT end_reason, gender, ethnicity FROM referrals ORDER BY received_date").map {
            "\($0.string(0))/\($0.string(1))/\($0.string(2))"
        } == ["completed/female/white", "dropped_out/male/black", "not_assessed/not_stated/not_stated"])
        #expect(report.files[0].droppedColumns.map(\.name) == ["NHSNumber", "PersonName"])
        try expectNothingPlanted(folder)
    }

    @Test func everyNHSCodeOfTheReferenceMaps() {
        let ends = Preset.nhsTalkingTherapies.files[.referrals]!.values["end_reason"]!
        for code in ["10", "11", "12", "13", "14", "16", "17", "46", "47", "48", "49", "50", "95", "96"] {
            #expect(ends[code] != nil, "end code \(code) unmapped")
        }
        #expect(ends["46"] == "completed" && ends["47"] == "dropped_out" && ends["48"] == "ended_by_practice" && ends["50"] == "not_assessed")
        let attendance = Preset.nhsTalkingTherapies.files[.appointments]!.values["status"]!
        #expect(["2", "3", "4", "5", "6", "7"].map { attendance[$0] } == [
            "cancelled_by_client", "dna", "cancelled_by_practice", "attended", "attended_late", "late_not_seen",
        ])
    }

    /// Each vendor's documented status words (docs/presets.md, "Status words checked against the
    /// vendors' documents") map, and to the word that page gives: a cancellation that does not
    /// say who cancelled is `cancelled`, never the client's.
    @Test func everyDocumentedStatusWordMaps() throws {
        let documented: [(Preset, [String: String])] = [
            (.cliniko, ["Arrived": "attended", "Did not arrive": "dna", "Cancelled": "cancelled"]),
            (.simplePractice, ["Show": "attended", "Cancelled": "cancelled", "Late Cancelled": "cancelled_by_client",
                               "No Show": "dna"]),
            (.halaxy, ["Attended": "attended", "Did Not Attend": "dna", "Non-attendance": "dna", "Cancelled": "cancelled"]),
            (.nhsTalkingTherapies, ["2": "cancelled_by_client", "3": "dna", "4": "cancelled_by_practice", "5": "attended",
                                    "6": "attended_late", "7": "late_not_seen"]),
        ]
        for (preset, words) in documented {
            let map = try #require(preset.files[.appointments]?.values["status"], "\(preset.name)")
            for (word, canonical) in words { #expect(map[word] == canonical, "\(preset.name): \(word)") }
        }
        let api = try #require(Preset.clinikoAPI.files[.appointments])
        #expect(api.statusColumns == ["cancelled_at": "cancelled", "did_not_arrive": "dna", "patient_arrived": "attended"])
        #expect(api.statusWhenUnset == "attended")
        // No preset guesses who cancelled from a plain cancellation word.
        for preset in Preset.all {
            for (word, canonical) in preset.files[.appointments]?.values["status"] ?? [:]
            where ["cancelled", "canceled"].contains(word.lowercased()) {
                #expect(canonical == "cancelled", "\(preset.name): \(word) → \(canonical)")
            }
        }
    }

    @Test func valueMapKeysMatchCaseInsensitivelyAndBadTargetsAreNamed() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        folder.write("appointments.csv", appointmentsHeader + "A1,R1,T01,2026-01-12,assessment,  no SHOW ,cbt,video,60\n")
        let db = try openStore(folder)
        var source = ExportSource(path: folder.path)
        source.files[.appointments] = FileMapping(values: ["status": ["No Show": "dna"]])
        _ = try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
        #expect(try db.scalarString("SELECT status FROM appointments") == "dna")
        source.files[.appointments] = FileMapping(values: ["status": ["No Show": "missed"], "score": ["x": "y"]])
        source.files[.referrals] = FileMapping(columns: ["nhs_number": "NHS"])
        let problems = source.problems()
        #expect(problems.count == 3)
        #expect(throws: IngestError.self) { try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t") }
    }
}
