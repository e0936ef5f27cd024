@testable import ConfideIngest
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// An ingest keeps `referral_progress` (schema versions 11 and 12): a first load, which drops
/// the triggers with the indexes, fills it in one pass and puts the triggers back; a later load
/// has the triggers note the referrals it touches and refreshes them before it commits.
@Suite struct ReferralProgressIngestTests {
    private func ingest(_ folder: TempFolder, _ db: Database) throws -> IngestReport {
        try Ingestor(key: testKey, timeZone: london).ingest(ExportSource(directory: folder.path), into: db, startedAt: "t")
    }

    private func progress(_ db: Database, _ referral: String) throws -> [String] {
        let key = DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.referral, referral))
        return try db.makeStatement("SELECT first_treatment, second_treatment, last_date, last_kind, last_therapist FROM referral_progress JOIN referrals USING (referral_key) WHERE referral_id = ?")
            .map([key]) { row in (0..<5).map { row.optionalString($0) ?? "-" } }.first ?? []
    }

    private func allRows(_ db: Database) throws -> [String] {
        try db.makeStatement("SELECT quote(referral_key) || first_treatment || second_treatment || last_date || last_therapist FROM referral_progress ORDER BY 1")
            .map([]) { $0.optionalString(0) ?? "-" }
    }

    @Test func aFirstLoadFillsItAndALaterLoadKeepsIt() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'appointments'") == 4)
        #expect(try progress(db, "R1") == ["-", "-", "2026-01-12", "assessment", "T01"])
        #expect(try progress(db, "R2") == ["2026-01-20", "-", "2026-01-20", "treatment", "T02"])

        folder.write("appointments.csv", appointmentsHeader + """
        A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60
        A2,R1,T01,2026-01-19,treatment,attended,cbt,video,50
        A3,R2,T02,2026-01-20T09:30:00Z,treatment,attended,counselling,in_person,
        A4,R1,T03,2026-01-26,treatment,attended_late,cbt,video,50
        A5,R2,T02,2026-01-27,treatment,dna,counselling,in_person,

        """)
        let report = try ingest(folder, db)
        #expect(report.files[1].updated == 1 && report.files[1].inserted == 2)
        #expect(try db.scalarInt("SELECT count(*) FROM referral_progress_stale") == 0)
        #expect(try progress(db, "R1") == ["2026-01-19", "2026-01-26", "2026-01-26", "treatment", "T03"])
        #expect(try progress(db, "R2") == ["2026-01-20", "-", "2026-01-20", "treatment", "T02"])
        let kept = try allRows(db)
        try db.execute(Schema.referralProgressRebuild)
        #expect(try allRows(db) == kept)
    }
}
