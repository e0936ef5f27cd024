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
    ///
    /// - Throws: ``ConfideError`` 73 (nothing written) when `workspace` holds a practice's own
    ///   `confide.toml` or `reportsDir` holds a practice's reports: the demo never overwrites
    ///   real work.
    public static func run(workspace: String, reportsDir: String, clients: Int = 3_000, weeks: Int = 13,
                           seed: UInt64 = 2026, logger: Logger) throws -> Result {
        let reports = URL(fileURLWithPath: reportsDir).standardizedFileURL.path
        try refuseRealWork(workspace: workspace, reports: reports)
        let initialised = try Initialiser.initialise(directory: workspace, practiceName: practiceName, publishDir: reports)
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

    /// The synthetic practice's name, in its configuration and on its reports index.
    static let practiceName = "Demo practice (synthetic)"

    /// Throws 73 when `workspace` has a `confide.toml` that is not the demo's, or `reports` has
    /// week folders whose `index.html` is not the demo practice's (a practice's reports, or
    /// reports of unknown origin).
    static func refuseRealWork(workspace: String, reports: String) throws {
        let files = FileManager.default
        let config = workspace + "/confide.toml"
        if let data = files.contents(atPath: config), !String(decoding: data, as: UTF8.self).contains("name = \"\(practiceName)\"") {
            throw ConfideError(.cannotCreate, "\(config) is a practice's configuration, not the demo's; the demo never writes into a practice's workspace. Pass --workspace with a new folder (the default is .confide-demo).")
        }
        let weeks = ((try? files.contentsOfDirectory(atPath: reports)) ?? []).filter { ISOWeek($0) != nil }
        guard !weeks.isEmpty else { return }
        let index = files.contents(atPath: reports + "/index.html").map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard index.contains("<h1>\(practiceName): weekly reports</h1>") else {
            throw ConfideError(.cannotCreate, "\(reports) holds \(weeks.count) week folder(s) that are not the demo's (its index.html does not name the synthetic practice); the demo never overwrites a practice's reports. Pass --reports with a new folder.")
        }
    }
}
