import ConfideModel
@testable import ConfidePipeline
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// A workspace written by the release before schema version 10 (`Fixtures/store-v9`, all by
/// the `confide` of commit 90cc6ff: `demo --clients 150 --weeks 2`, `forget` of client C1,
/// `[publish] dir` made relative by hand, then `run --week` of 2026-W48 and 2026-W49 so that
/// the reports are those of that configuration; the store VACUUMed with the sqlite3 shell to
/// keep the file small) migrates in place to the BLOB-keyed layout: its ledger and stored releases are
/// kept, the next run publishes nothing anew and charges nothing, and the forgotten client's
/// rows are still skipped.
@Suite struct StoreLayoutMigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/store-v9").path

    /// A copy of the fixture in a new temporary folder (the key made 0600 again: git keeps no
    /// such mode).
    func copyOfFixture() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-v9-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/confide.key")
        return folder
    }

    /// Every file under `folder` (symbolic links as their target's name), by relative path.
    func files(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in FileManager.default.subpaths(atPath: folder) ?? [] {
            let path = folder + "/" + relative
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                files[relative] = Data(("-> " + target).utf8)
            } else if let data = FileManager.default.contents(atPath: path) {
                files[relative] = data
            }
        }
        return files
    }

    /// The rows of `sql`, each as its columns' text joined by tabs.
    func rows(_ db: Database, _ sql: String) throws -> [String] {
        try db.makeStatement(sql).map([]) { row in (0..<row.count).map { row.optionalString($0) ?? "NULL" }.joined(separator: "\t") }
    }

    @Test func aVersionNineStoreMigratesInPlaceAndTheNextRunPublishesNothingAnew() throws {
        let folder = try copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before: (ledger: [String], releases: [String], supervision: [String], counts: [String], tombstones: [String])
        do {
            let old = try Database(path: folder + "/confide.sqlite", mode: .readOnly)
            #expect(try old.scalarInt("PRAGMA user_version") == 9)
            #expect(try old.scalarString("SELECT typeof(referral_id) FROM referrals LIMIT 1") == "text")
            before = (try rows(old, "SELECT * FROM ledger ORDER BY entry_id"), try rows(old, "SELECT * FROM releases ORDER BY period"),
                      try rows(old, "SELECT * FROM supervision_releases ORDER BY period"),
                      try rows(old, "SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM appointments), (SELECT count(*) FROM measures)"),
                      try rows(old, "SELECT * FROM forgotten ORDER BY tombstone"))
        }
        #expect(before.ledger.count == 3 && before.releases.count == 2 && before.tombstones.count == 2)
        let reportsBefore = files(folder + "/Reports")

        let configuration = try Configuration(path: folder + "/confide.toml")
        for week in ["2026-W48", "2026-W49"] {
            let run = try ScheduledRun.run(configuration, selection: .week(ISOWeek(week)!), logger: quiet)
            #expect(run.weeks.map(\.status) == ["unchanged"], "\(week)")
            #expect(run.weeks.map(\.epsilonCharged) == [0])
            // Every row of the export is recognised as stored; the forgotten client's are skipped.
            let files = run.ingest.files
            #expect(files.map { $0.unchanged + $0.forgotten } == files.map(\.read) && files.map(\.forgotten) == [1, 3, 8])
            #expect(files.allSatisfy { $0.isReconciled })
        }

        let db = try Database(path: folder + "/confide.sqlite", mode: .readOnly)
        #expect(try db.scalarInt("PRAGMA user_version") == Schema.migrator.latestVersion)
        #expect(try rows(db, "SELECT DISTINCT typeof(referral_id) || length(referral_id), typeof(client_id) || length(client_id) FROM referrals")
            == ["blob16\tblob16"])
        #expect(try rows(db, "SELECT DISTINCT typeof(appointment_id) || length(appointment_id), typeof(referral_key) FROM appointments")
            == ["blob16\tinteger"])
        // Version 14: referrals numbered 1, 2, … by received date (then pseudonym), every
        // appointment and score pointing at its own referral's key.
        #expect(try rows(db, "SELECT count(*) = max(referral_key) FROM referrals") == ["1"])
        #expect(try rows(db, """
            SELECT count(*) FROM referrals a JOIN referrals b ON b.referral_key = a.referral_key + 1
            WHERE (b.received_date, b.referral_id) < (a.received_date, a.referral_id)
            """) == ["0"])
        #expect(try rows(db, "SELECT count(*) FROM appointments a LEFT JOIN referrals r USING (referral_key) WHERE r.referral_id IS NULL") == ["0"])
        #expect(try rows(db, "PRAGMA integrity_check") == ["ok"])
        // Compacted once after the upgrade: no free page left of the old tables, and smaller
        // than the version-9 file was.
        #expect(try db.scalarInt("PRAGMA freelist_count") == 0)
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        #expect(try size(folder + "/confide.sqlite") < size(Self.fixture + "/confide.sqlite"))
        #expect(try rows(db, "PRAGMA foreign_key_check").isEmpty)
        #expect(try rows(db, "SELECT * FROM ledger ORDER BY entry_id") == before.ledger)
        #expect(try rows(db, "SELECT * FROM releases ORDER BY period") == before.releases)
        #expect(try rows(db, "SELECT * FROM supervision_releases ORDER BY period") == before.supervision)
        #expect(try rows(db, "SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM appointments), (SELECT count(*) FROM measures)")
            == before.counts)
        #expect(try rows(db, "SELECT * FROM forgotten ORDER BY tombstone") == before.tombstones)
        let indexes = try rows(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        #expect(indexes == ["appointments_id", "appointments_referral", "pending_appointments_referral",
                            "referrals_client", "referrals_ended", "referrals_id", "referrals_received", "referrals_restricted"])
        // Version 13: the appointments in date order, every referral's contacts in one index.
        #expect(try rows(db, "SELECT name FROM pragma_index_info('appointments_referral')")
            == ["referral_key", "date", "appointment_id", "kind", "therapist_id", "modality", "delivery", "status"])
        #expect(try rows(db, "SELECT name FROM pragma_index_info('measures') ORDER BY seqno").prefix(3) == ["referral_key", "date", "instrument"])
        #expect(try rows(db, "SELECT name FROM pragma_index_info('appointments') ORDER BY seqno").prefix(2) == ["date", "appointment_id"])
        #expect(files(folder + "/Reports") == reportsBefore)
    }

    /// A key that is not hex (a store no confide wrote) stops the migration whole: the store is
    /// left at version 9 with its rows as they were.
    @Test func aKeyThatIsNotHexLeavesTheStoreAsItWas() throws {
        let folder = try copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = try Database(path: folder + "/confide.sqlite")
        try db.execute("UPDATE appointments SET appointment_id = 'not a pseudonym' WHERE appointment_id = (SELECT min(appointment_id) FROM appointments)")
        #expect(throws: DatabaseError.self) { try Schema.migrator.migrate(db) }
        #expect(try db.scalarInt("PRAGMA user_version") == 9)
        #expect(try db.scalarInt("SELECT count(*) FROM appointments WHERE appointment_id = 'not a pseudonym'") == 1)
        #expect(try db.scalarString("SELECT typeof(referral_id) FROM referrals LIMIT 1") == "text")
    }
}
