import ArgumentParser

/// `confide-bench`: confide's stages and end-to-end weekly run on synthetic practices, side by
/// side with `sqlite3 .import`, pandas, PipelineDP and OpenDP on the same files.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confide-bench",
        abstract: "Benchmark confide's stages against sqlite3 .import, pandas, PipelineDP and OpenDP on synthetic practices.",
        discussion: "Each stage runs in a child process of this program (the subcommands below); see docs/performance.md.",
        subcommands: [SuiteCommand.self, IngestStageCommand.self, ReleaseStagesCommand.self, WeeklyRunStageCommand.self,
                      DPCountsStageCommand.self, SnapshotStageCommand.self, PostgresLoadStageCommand.self],
        defaultSubcommand: SuiteCommand.self)
}
