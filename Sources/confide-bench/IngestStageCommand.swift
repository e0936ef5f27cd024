import ArgumentParser
import ConfideIngest
import ConfidePipeline

/// The `ingest` stage, in its own process: the base export into the new store.
struct IngestStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest-stage",
                                                    abstract: "Child process: ingest a workspace's source into its store, print the measurement.")

    @Option(help: "The workspace configuration (confide.toml).")
    var config: String

    func run() throws {
        let workspace = try Workspace(configuration: try Configuration(path: config))
        try StageMeasurement.measure("ingest") {
            let report = try workspace.ingest()
            let files = report.files
            return ["read": Double(files.map(\.read).reduce(0, +)), "loaded": Double(files.map(\.loaded).reduce(0, +)),
                    "quarantined": Double(files.map(\.quarantined).reduce(0, +))]
        }.emit()
    }
}
