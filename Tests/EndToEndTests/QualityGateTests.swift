import Foundation
import Testing

/// A broken export stops the run before any budget is spent (issue 14): for each bad export, a
/// fresh workspace and the real binary; the run exits 65 naming the file and the check, the
/// ledger stays empty and no report folder is created. `--accept-quality` publishes anyway and
/// says so in the manifest and the run log.
@Suite struct QualityGateTests {
    /// A practice with its exports ingested and nothing released.
    private func practice(_ seed: Int) throws -> String {
        let folder = try Binary.practice(clients: 300, seed: seed)
        #expect(try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder).status == 0)
        return folder
    }

    private func expectRefused(_ folder: String, _ arguments: [String], mentions: [String]) throws {
        let run = try Binary.run(["run", "--config", folder + "/confide.toml"] + arguments, in: folder)
        #expect(run.status == 65, "\(run.stderr)")
        for text in mentions + ["nothing was charged or published"] { #expect(run.stderr.contains(text), "\(text): \(run.stderr)") }
        #expect(try ExternalTool.sqlite(folder + "/confide.sqlite", "SELECT count(*) FROM ledger") == "0")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports"))
    }

    @Test func everyAppointmentQuarantinedStopsTheRun() throws {
        let folder = try practice(11)
        let path = folder + "/exports/appointments.csv"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        // Dates written dd/mm/yyyy while the configuration says ISO: every row quarantined.
        let broken = [lines[0]] + lines.dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                let parts = field.split(separator: "-")
                return parts.count == 3 && field.count == 10 ? "\(parts[2])/\(parts[1])/\(parts[0])" : String(field)
            }.joined(separator: ",")
        }
        try (broken.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try expectRefused(folder, ["--week", "2026-W26"], mentions: ["appointments.csv", "max_quarantined_share"])
        let accepted = try Binary.run(["run", "--config", folder + "/confide.toml", "--week", "2026-W26", "--accept-quality"], in: folder)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let manifest = try String(contentsOfFile: folder + "/Reports/2026-W26/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"quality_accepted\"") && manifest.contains("max_quarantined_share"))
        let runs = try Binary.run(["runs", "--config", folder + "/confide.toml"], in: folder)
        #expect(runs.stdout.contains("quality accepted"))
    }

    @Test func aHeaderOnlyAppointmentsExportStopsTheRun() throws {
        let folder = try practice(12)
        let path = folder + "/exports/appointments.csv"
        let header = try String(contentsOfFile: path, encoding: .utf8).prefix { $0 != "\n" }
        try (header + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try expectRefused(folder, ["--week", "2026-W26"], mentions: ["appointments.csv: no rows", "empty_file"])
    }

    /// An attended appointment dated far ahead (a day and month swapped, say) stops the run.
    @Test func anAppointmentDatedInTheFutureStopsTheRun() throws {
        let folder = try practice(15)
        let path = folder + "/exports/appointments.csv"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        var row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        row[header.firstIndex(of: "appointment_id")!] = "AFUTURE"
        row[header.firstIndex(of: "date")!] = "2099-01-01"
        row[header.firstIndex(of: "status")!] = "attended"
        try ((lines + [row.joined(separator: ",")]).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try expectRefused(folder, ["--week", "2026-W26"], mentions: ["dated after", "future_days"])
    }

    @Test func aWeekBeforeTheDataStopsTheRun() throws {
        let folder = try practice(13)
        try expectRefused(folder, ["--week", "1999-W10"], mentions: ["1999-W10 is outside the data", "week_in_data"])
    }

    /// A week whose appointments fell to a tenth of the weeks before (a truncated export).
    @Test func aWeekWithFewAppointmentsAgainstTheWeeksBeforeStopsTheRun() throws {
        let folder = try practice(14)
        let path = folder + "/exports/appointments.csv"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        var kept = 0
        let truncated = lines.filter { line in
            guard line.contains(",2026-06-2") else { return true }   // 2026-06-22 to 06-28: week 26
            kept += 1
            return kept % 10 == 0
        }
        try (truncated.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let ingest = try Binary.run(["ingest", "--config", folder + "/confide.toml"], in: folder)
        #expect(ingest.status == 0)
        // Snapshot mode keeps the rows already stored: a fresh store sees the truncated export.
        try FileManager.default.removeItem(atPath: folder + "/confide.sqlite")
        try? FileManager.default.removeItem(atPath: folder + "/confide.sqlite-wal")
        try? FileManager.default.removeItem(atPath: folder + "/confide.sqlite-shm")
        try expectRefused(folder, ["--week", "2026-W26"], mentions: ["week 2026-W26:", "min_week_share_of_median"])
    }
}
