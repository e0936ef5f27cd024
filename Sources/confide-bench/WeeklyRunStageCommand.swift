import ArgumentParser
import ConfideIngest
import ConfideModel
import ConfidePipeline
import Logging

/// The end-to-end `weekly_run`, in its own process: what the weekly schedule runs
/// (`ScheduledRun.run`: run lock, run log, ingest of the one-week delta export into the
/// already-loaded store, then metrics, protect, store and charge, render, audit and publish of
/// that week).
struct WeeklyRunStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "weekly-run-stage",
                                                    abstract: "Child process: one scheduled run of one week; print the measurement.")

    @Option(help: "The workspace configuration whose source is the one-week delta (weekly.toml).")
    var config: String

    @Option(help: "The ISO week to publish (YYYY-Www).")
    var week: String

    func run() throws {
        guard let week = ISOWeek(week) else { throw ValidationError("not an ISO week: \(self.week)") }
        let configuration = try Configuration(path: config)
        var logger = Logger(label: "confide-bench")
        logger.logLevel = .warning
        try StageMeasurement.measure("weekly_run") {
            let summary = try ScheduledRun.run(configuration, selection: .week(week), logger: logger)
            let files = summary.ingest.files
            return ["read": Double(files.map(\.read).reduce(0, +)), "loaded": Double(files.map(\.loaded).reduce(0, +)),
                    "quarantined": Double(files.map(\.quarantined).reduce(0, +)),
                    "published": Double(summary.weeks.filter { $0.status == "published" }.count)]
        }.emit()
    }
}
