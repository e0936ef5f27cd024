import ArgumentParser
import ConfideIngest
import ConfidePipeline

/// The `snapshot_unchanged` and `snapshot_changed` stages, in their own process: a snapshot
/// export ingested into the store the first load left (what a practice that exports its whole
/// history every week runs each week before publishing).
struct SnapshotStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-stage",
                                                    abstract: "Child process: ingest a snapshot export into a loaded store, print the measurement.")

    @Option(help: "The workspace configuration whose source is the snapshot export.")
    var config: String

    @Option(help: "The stage name to report (snapshot_unchanged or snapshot_changed).")
    var stage: String

    func run() throws {
        let workspace = try Workspace(configuration: try Configuration(path: config))
        try StageMeasurement.measure(stage) {
            let report = try workspace.ingest()
            let files = report.files
            func sum(_ figure: KeyPath<FileReport, Int>) -> Double { Double(files.map { $0[keyPath: figure] }.reduce(0, +)) }
            return ["read": sum(\.read), "inserted": sum(\.inserted), "updated": sum(\.updated), "unchanged": sum(\.unchanged),
                    "quarantined": sum(\.quarantined), "missing_from_snapshot": Double(files.compactMap(\.missingFromSnapshot).reduce(0, +))]
        }.emit()
    }
}
