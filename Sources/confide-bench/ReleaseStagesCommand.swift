import ArgumentParser
import ConfideBench
import ConfideMetrics
import ConfideModel
import ConfidePipeline
import ConfidePrivacy
import ConfideRelease
import ConfidePublish
import ConfideStore

/// The `metrics`, `protect` and `publish` stages of one week, in one process, each measured
/// on its own (the memory high-water mark is reset between them).
///
/// `publish` renders the files `confide run` renders (HTML, Markdown, both CSV tables, one
/// supervision CSV per therapist, the manifest), audits them with `LeakAudit` and publishes
/// the folder atomically, as `Workspace.publish(week:)` does after drawing. It does not store
/// the release or charge the ledger (the weekly run does both).
struct ReleaseStagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release-stages",
                                                    abstract: "Child process: metrics, protect and publish of one week; print the measurements.")

    @Option(help: "The workspace configuration (confide.toml).")
    var config: String

    @Option(help: "The ISO week to release (YYYY-Www).")
    var week: String

    func run() throws {
        guard let week = ISOWeek(week) else { throw ValidationError("not an ISO week: \(self.week)") }
        let configuration = try Configuration(path: config)
        let workspace = try Workspace(configuration: configuration)
        let db = try Database(path: configuration.storePath)
        let outcomeWeeks = configuration.privacy.mode == .sdc ? configuration.metrics.outcomeWindowWeeks : 1

        var exact: ExactRelease?
        try StageMeasurement.measure("metrics") {
            let release = try WeeklyMetrics(db: db, settings: configuration.metrics).compute(week: week, outcomeWeeks: outcomeWeeks)
            exact = release
            return ["cells": Double(release.tables.map(\.cells.count).reduce(0, +)),
                    "contributions": Double(release.tables.map(\.contributions.count).reduce(0, +))]
        }.emit()

        var protected: ProtectedRelease?
        try StageMeasurement.measure("protect") {
            var sampler = ExactSampler(source: SystemRandomNumberGenerator())
            let release = Protector(settings: configuration.privacy).protect(exact!, history: [], sampler: &sampler)
            protected = release
            return ["cells": Double(release.cells.count), "suppressed": Double(release.suppressedCount)]
        }.emit()
        exact = nil

        try StageMeasurement.measure("publish") {
            // The week's folder as `Workspace.publish(week:)` renders it (with no earlier
            // releases in the store), audited and published.
            let context = ReportContext(practiceName: configuration.practiceName, history: [], rollingEpsilon: protected!.epsilon,
                                        epsilonCap: String(configuration.epsilonCapPerYear), toolVersion: confideVersion)
            let folder = WeekFolder(release: protected!, context: context, configurationHash: configuration.sha256)
            let files = folder.files
            _ = try folder.publish(root: configuration.publishDir, isSourceIdentifier: workspace.sourceIdentifierTest())
            return ["files": Double(files.count), "bytes": Double(files.map(\.content.utf8.count).reduce(0, +))]
        }.emit()
    }
}
