@testable import ConfideIngest
import ConfideStore
import Foundation
import Testing

/// Schema version 14: ingest numbers referrals in the order they arrive, never gives a number
/// twice, and stores each contact and score under its own referral's number.
@Suite struct ReferralKeyTests {
    private func ingest(_ folder: TempFolder, _ db: Database) throws -> IngestReport {
        var source = ExportSource(path: folder.path)
        source.mode = .delta
        return try Ingestor(key: testKey, timeZone: london).ingest(source, into: db, startedAt: "t")
    }

    /// The key of referral `id` (its source identifier), or nil.
    private func key(_ db: Database, _ id: String) throws -> Int? {
        try db.scalarInt("SELECT referral_key FROM referrals WHERE referral_id = ?",
                         [DatabaseValue.blob(hex: Pseudonymizer(key: testKey).pseudonym(.referral, id))])
    }

    /// Each stored contact and score with the source referral it names, by way of its key.
    private func owners(_ db: Database) throws -> [String] {
        let referral = { (pseudonym: String) in ["R1", "R2", "R3", "R4"].first { Pseudonymizer(key: testKey).pseudonym(.referral, $0) == pseudonym } ?? "?" }
        let appointment = { (pseudonym: String) in (1...9).map { "A\($0)" }.first { Pseudonymizer(key: testKey).pseudonym(.appointment, $0) == pseudonym } ?? "?" }
        let contacts = try db.makeStatement("SELECT a.appointment_id, r.referral_id FROM appointments a JOIN referrals r USING (referral_key)")
            .map([]) { appointment($0.hex(0)) + ":" + referral($0.hex(1)) }
        let scores = try db.makeStatement("SELECT m.date, r.referral_id FROM measures m JOIN referrals r USING (referral_key)")
            .map([]) { $0.string(0) + ":" + referral($0.hex(1)) }
        return (contacts + scores).sorted()
    }

    @Test func referralsAreNumberedInArrivalOrderAndANumberIsNeverGivenTwice() throws {
        let folder = TempFolder()
        writeValidExport(folder)
        let db = try openStore(folder)
        _ = try ingest(folder, db)
        let first = try [key(db, "R1"), key(db, "R2")].compactMap { $0 }
        #expect(first.sorted() == [1, 2])
        #expect(try owners(db) == ["2026-01-12:R1", "2026-01-12:R1", "A1:R1", "A2:R1", "A3:R2"])

        // The referral holding the largest number goes (with what hangs on it); the next ones
        // to arrive get numbers after it, so no row can mistake a new referral for the old one.
        let largest = first.max()!
        let kept = try key(db, "R1") == largest ? "R2" : "R1"
        try db.write { db in
            try db.execute("DELETE FROM measures WHERE referral_key = ?", [largest])
            try db.execute("DELETE FROM appointments WHERE referral_key = ?", [largest])
            try db.execute("DELETE FROM referrals WHERE referral_key = ?", [largest])
        }
        folder.write("referrals.csv", referralsHeader + """
        R3,C3,2026-02-02,,female,white,,gp,depression,,
        R4,C1,2026-02-03,,female,white,,gp,depression,,

        """)
        folder.write("appointments.csv", appointmentsHeader + """
        A4,R4,T01,2026-02-09,assessment,attended,cbt,video,60
        A5,R3,T02,2026-02-10,treatment,attended,cbt,video,50
        A6,\(kept),T01,2026-02-11,treatment,attended,cbt,video,50

        """)
        folder.write("measures.csv", measuresHeader + """
        R3,2026-02-10,phq9,11
        R4,2026-02-09,phq9,17

        """)
        let report = try ingest(folder, db)
        #expect(report.files.allSatisfy { $0.isReconciled } && report.files.map(\.inserted) == [2, 3, 2])
        let later = try [key(db, "R3"), key(db, "R4")].compactMap { $0 }
        #expect(later.count == 2 && later.allSatisfy { $0 > largest })
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") == 3)
        let keptRows = try owners(db).filter { $0.hasSuffix(":R1") || $0.hasSuffix(":R2") }
        #expect(keptRows.contains("A6:" + kept) && keptRows.allSatisfy { $0.hasSuffix(":" + kept) })
        #expect(try owners(db).filter { $0.hasSuffix(":R3") || $0.hasSuffix(":R4") } == ["2026-02-09:R4", "2026-02-10:R3", "A4:R4", "A5:R3"])
        #expect(try db.scalarInt("SELECT count(*) FROM referral_progress_stale") == 0)
    }
}
