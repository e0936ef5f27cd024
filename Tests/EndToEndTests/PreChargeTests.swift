import Foundation
import Testing

/// Everything that can fail is checked before the budget is charged (issue 14), and a week an
/// earlier run charged but did not publish is published by the next plain run, charging nothing.
@Suite struct PreChargeTests {
    private func ledger(_ folder: String) throws -> String {
        try ExternalTool.sqlite(folder + "/confide.sqlite", "SELECT count(*) FROM ledger")
    }

    @Test func aFileWhereTheWeeksFolderGoesStopsTheRunBeforeTheCharge() throws {
        let folder = try Binary.practice(clients: 200, seed: 21)
        try FileManager.default.createDirectory(atPath: folder + "/Reports", withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/Reports/2026-W26"))
        let run = try Binary.run(["run", "--config", folder + "/confide.toml", "--week", "2026-W26"], in: folder)
        #expect(run.status == 73 && run.stderr.contains("Nothing was charged"), "\(run.stderr)")
        #expect(try ledger(folder) == "0")
        #expect(FileManager.default.contents(atPath: folder + "/Reports/2026-W26") == Data("notes".utf8))
    }

    @Test func reportsBesideTheKeyAreAConfigurationError() throws {
        let folder = try Binary.practice(clients: 200, seed: 22)
        let config = folder + "/confide.toml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let dirLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("dir = ") })
        try text.replacingOccurrences(of: String(dirLine), with: "dir = \".\"").write(toFile: config, atomically: true, encoding: .utf8)
        let run = try Binary.run(["run", "--config", config, "--week", "2026-W26"], in: folder)
        #expect(run.status == 78 && run.stderr.contains("[publish] dir"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/2026-W26"))
    }

    /// A backfill that could charge more than half the cap prints what it would do and stops
    /// unless confirmed; confirmed, it publishes every week.
    @Test func aLargeBackfillNeedsYes() throws {
        let folder = try Binary.practice(clients: 200, seed: 23)
        let config = folder + "/confide.toml"
        let preview = try Binary.run(["run", "--config", config, "--backfill", "2026-W20"], in: folder)
        #expect(preview.status == 64, "\(preview.stderr)")
        #expect(preview.stdout.contains("backfill 2026-W20..") && preview.stdout.contains("to release"))
        #expect(preview.stderr.contains("--yes"))
        #expect(try ledger(folder) == "0")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports"))
    }

    /// The preview's worst case after the backfill is what `budget` reports once it is done.
    @Test func theBackfillPreviewForeseesTheLedger() throws {
        // A practice whose data run to the last complete week, so that every week of the
        // backfill is published.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let today = calendar.startOfDay(for: Date())
        let weekday = calendar.component(.weekday, from: today)   // 1 = Sunday
        let lastSunday = calendar.date(byAdding: .day, value: weekday == 1 ? -7 : -(weekday - 1), to: today)!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        let folder = Binary.temporaryFolder()
        #expect(try Binary.run(["init", folder], in: folder).status == 0)
        let synth = try Binary.run(["synth", "--out", folder + "/exports", "--clients", "200", "--seed", "26", "--weeks", "20",
                                    "--last-day", formatter.string(from: lastSunday), "--therapists", "3"], in: folder)
        #expect(synth.status == 0, "\(synth.stderr)")
        let config = folder + "/confide.toml"
        let weekOf = { (date: Date) in
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
        }
        let first = weekOf(calendar.date(byAdding: .day, value: -21, to: lastSunday)!)
        #expect(try Binary.run(["run", "--config", config, "--week", weekOf(calendar.date(byAdding: .day, value: -28, to: lastSunday)!)], in: folder).status == 0)
        let run = try Binary.run(["run", "--config", config, "--backfill", first, "--yes", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("backfill ") })
        let after = try #require(line.components(separatedBy: " after ").first?.components(separatedBy: " now and ").last)
        let budget = try Binary.run(["budget", "--config", config, "--json"], in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(budget.stdout.utf8)) as? [String: Any])
        let rolling = try #require(json["rolling_epsilon"] as? Double)
        #expect(abs(Double(after)! - rolling) < 1e-3, "\(line) against \(rolling)")
    }

    /// A week charged and stored whose folder never appeared (a run killed between the charge
    /// and the rename) is published by the next plain run from the stored values: "published",
    /// and no new charge.
    @Test func aPlainRunPublishesAWeekAnEarlierRunChargedButNeverPublished() throws {
        let folder = try Binary.practice(clients: 200, seed: 24)
        let config = folder + "/confide.toml"
        #expect(try Binary.run(["run", "--config", config, "--week", "2026-W25"], in: folder).status == 0)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: folder + "/Reports/2026-W25/caseload.csv"))
        try FileManager.default.removeItem(atPath: folder + "/Reports/2026-W25")
        let charges = try ledger(folder)
        let run = try Binary.run(["run", "--config", config, "--week", "2026-W26"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2026-W25: published") && run.stdout.contains("2026-W26: published"), "\(run.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/Reports/2026-W25/caseload.csv")) == manifest)
        // One more charge: week 26 only (its supervision period, W25-W28, does not close yet).
        #expect(Int(try ledger(folder)) == Int(charges)! + 1)
    }
}
