public import Logging
import ConfideModel
import ConfideSynth
import Foundation

/// `confide demo`: a synthetic practice in a workspace, initialised and published.
public enum Demo {
    /// What the demo produced.
    public struct Result: Sendable {
        /// The configuration of the demo workspace.
        public let configuration: String
        /// The newest published report.
        public let reportPath: String
        /// The run.
        public let summary: RunSummary
    }

    /// Synthesises a practice of `clients` clients over two years into `workspace/exports`,
    /// initialises the workspace with reports under `reportsDir`, and publishes the last
    /// `weeks` complete weeks (so the report has trends).
    public static func run(workspace: String, reportsDir: String, clients: Int = 3_000, weeks: Int = 13,
                           seed: UInt64 = 2026, logger: Logger) throws -> Result {
        let reports = URL(fileURLWithPath: reportsDir).standardizedFileURL.path
        let initialised = try Initialiser.initialise(directory: workspace, practiceName: "Demo practice (synthetic)", publishDir: reports)
        let configuration = try Configuration(path: initialised.configuration)
        let latest = ISOWeek.lastComplete(before: Day.today(in: configuration.timeZone))
        let exports = configuration.sourcePath
        do {
            try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
            let summary = try PracticeSynthesizer.write(to: exports, options: SynthOptions(clients: clients, weeks: 104, seed: seed, lastDay: latest.end, therapists: 12))
            logger.info("synth: \(summary.referrals) referrals, \(summary.appointments) appointments, \(summary.measures) scores, \(summary.therapists) therapists")
        } catch let error as SynthError {
            throw ConfideError(.cannotCreate, error.description)
        }
        let summary = try ScheduledRun.run(configuration, selection: .backfill(from: latest.adding(weeks: -(weeks - 1))), logger: logger)
        let report = (summary.weeks.last?.path ?? reports) + "/weekly-report.html"
        return Result(configuration: initialised.configuration, reportPath: report, summary: summary)
    }
}
