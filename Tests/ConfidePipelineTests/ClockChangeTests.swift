import ConfideIngest
import ConfideMetrics
import ConfideModel
import ConfideSchema
import ConfideStore
import Foundation
import Testing

/// Referrals that end late on a Sunday, the last day of an ISO week, on the days the UK's clocks
/// change. An export's date-time with a zone is read in the practice's time zone (Europe/London),
/// so the week an ending counts in depends on the local date, not the UTC one.
///
/// 2026-03-29 (Sunday, last day of 2026-W13): clocks go forward at 01:00 UTC.
/// 2026-10-25 (Sunday, last day of 2026-W43): clocks go back at 01:00 UTC.
@Suite struct ClockChangeTests {
    private let referrals = """
        referral_id,client_id,received_date,end_date,end_reason
        R01,C01,2026-01-05,2026-03-29T22:30:00Z,completed
        R02,C02,2026-01-05,2026-03-29T23:30:00Z,completed
        R03,C03,2026-01-05,2026-03-29T00:30:00Z,completed
        R04,C04,2026-01-05,2026-03-29T23:59:59+01:00,completed
        R05,C05,2026-01-05,2026-10-25T23:30:00Z,completed
        R06,C06,2026-01-05,2026-10-26T00:30:00+01:00,completed
        R07,C07,2026-01-05,2026-10-24T23:30:00Z,completed
        R08,C08,2026-01-05,2026-10-25T23:59:59,completed

        """

    /// Local dates: R01 23:30 BST Sun (W13); R02 00:30 BST Mon (W14); R03 00:30 GMT Sun (W13);
    /// R04 23:59:59 BST Sun (W13); R05 23:30 GMT Sun (W43); R06 is 23:30 GMT Sun (W43);
    /// R07 00:30 BST Sun (W43); R08 has no zone: local wall time, Sunday (W43).
    @Test func endingsCountInTheWeekOfTheirLocalDate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-clock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try referrals.write(toFile: folder + "/referrals.csv", atomically: true, encoding: .utf8)
        try "appointment_id,referral_id,therapist_id,date,status\n".write(toFile: folder + "/appointments.csv", atomically: true, encoding: .utf8)
        try "referral_id,date,instrument,score\n".write(toFile: folder + "/measures.csv", atomically: true, encoding: .utf8)

        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db)
        let key = try PracticeKey(bytes: Array(repeating: 3, count: 32))
        let report = try Ingestor(key: key, timeZone: TimeZone(identifier: "Europe/London")!)
            .ingest(ExportSource(path: folder), into: db, startedAt: "t")
        #expect(report.files.first?.loaded == 8)

        let ended = { (week: String) throws -> Int in
            let release = try WeeklyMetrics(db: db).compute(week: ISOWeek(week)!)
            let table = release.tables.first { $0.name == .caseload }!
            let endings = Set(table.cells.indices.filter { table.cells[$0].histogram == "endings" && table.cells[$0].group == "all" }.map { Int32($0) })
            return table.contributions.filter { endings.contains($0.cell) }.map { Int($0.amount) }.reduce(0, +)
        }
        #expect(try ended("2026-W13") == 3)
        #expect(try ended("2026-W14") == 1)
        #expect(try ended("2026-W43") == 4)
        #expect(try ended("2026-W44") == 0)
        let stored = try db.cachedStatement("SELECT end_date FROM referrals ORDER BY end_date").map { $0.string(0) }
        #expect(stored == ["2026-03-29", "2026-03-29", "2026-03-29", "2026-03-30",
                           "2026-10-25", "2026-10-25", "2026-10-25", "2026-10-25"])
    }
}
