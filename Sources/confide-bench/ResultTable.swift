import ConfideBench
import Foundation

/// The human-readable form of a report.
enum ResultTable {
    /// One size: stages, baselines, the DP comparison and the targets.
    static func render(_ report: BenchReport) -> String {
        var lines = ["", "\(report.clients) clients: \(report.rows.base) rows in the base export, \(report.rows.delta) in the one-week delta"
                     + (report.machine.loadAverage.map { String(format: " (load average %.2f on %d cores)", $0, report.machine.cores) } ?? "")]
        lines.append(row(["stage / tool", "seconds", "rows/s", "peak MiB", "count MAE", "mean MAE"]))
        let stages: [(String, StageFigures)] = [("ingest", report.stages.ingest), ("metrics", report.stages.metrics),
                                                ("protect", report.stages.protect), ("publish", report.stages.publish),
                                                ("weekly_run", report.stages.weeklyRun),
                                                ("snapshot_unchanged", report.stages.snapshotUnchanged),
                                                ("snapshot_changed", report.stages.snapshotChanged)]
        for (name, figures) in stages {
            lines.append(row([name, number(figures.seconds, "%.3f"), number(figures.rowsPerSecond, "%.0f"), number(figures.peakRSSMiB, "%.1f"), "", ""])
                         + (figures.error.map { "  error: \($0)" } ?? ""))
        }
        let dp = report.dpCounts
        lines.append(row(["confide dp_counts", number(dp.seconds, "%.3f"), "", number(dp.peakRSSMiB, "%.1f"),
                          number(dp.countMAE, "%.3f"), number(dp.meanMAE, "%.3f")])
                     + String(format: "  (read %@ s, bound+noise %@ s, raw count MAE %@)", number(dp.readSeconds, "%.3f"),
                              number(dp.dpSeconds, "%.3f"), number(dp.countMAERaw, "%.3f")) + (dp.error.map { "  error: \($0)" } ?? ""))
        let baselines: [(String, BaselineFigures)] = [("sqlite3 .import", report.baselines.sqliteImport), ("pandas", report.baselines.pandas),
                                                      ("PipelineDP", report.baselines.pipelinedp), ("OpenDP", report.baselines.opendp),
                                                      ("ingest floor (SQLite alone)", report.baselines.ingestFloor)]
        for (name, figures) in baselines {
            var line = row([name, number(figures.seconds, "%.3f"), number(figures.rowsPerSecond, "%.0f"), number(figures.peakRSSMiB, "%.1f"),
                            number(figures.countMAE, "%.3f"), number(figures.meanMAE, "%.3f")])
            if let compute = figures.computeSeconds { line += "  (after reading: \(number(compute, "%.3f")) s)" }
            if let error = figures.error { line += "  error: \(error)" }
            lines.append(line)
        }
        if let store = report.storeBytes, let export = report.exportBytes {
            lines.append("store \(store) bytes after the first load, export \(export) bytes")
        }
        lines.append("targets:")
        for target in report.targets {
            let verdict = target.met.map { $0 ? "met" : "MISSED" } ?? "not checked"
            lines.append("  \(target.description): \(number(target.value, "%.3f")) (target \(target.target)) \(verdict)")
        }
        return lines.joined(separator: "\n")
    }

    /// Growth with size: each stage's seconds per million input rows, for every size run.
    static func growth(_ reports: [BenchReport]) -> String {
        var lines = ["", "seconds per million rows (flat across sizes = linear growth):",
                     row(["stage"] + reports.map { "\($0.clients)" })]
        let stages: [(String, (BenchReport) -> StageFigures)] = [("ingest", \.stages.ingest), ("metrics", \.stages.metrics),
                                                                 ("protect", \.stages.protect), ("publish", \.stages.publish),
                                                                 ("weekly_run", \.stages.weeklyRun)]
        for (name, figures) in stages {
            lines.append(row([name] + reports.map { report in
                let f = figures(report)
                guard let seconds = f.seconds, let rows = f.rows, rows > 0 else { return "-" }
                return String(format: "%.3f", seconds / Double(rows) * 1_000_000)
            }))
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double?, _ format: String) -> String {
        value.map { String(format: format, $0) } ?? "-"
    }

    private static func row(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            let width = index == 0 ? 20 : 12
            return cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }
}
