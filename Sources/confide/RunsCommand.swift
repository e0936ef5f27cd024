import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide runs`.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Print the run log: each run, its outcome and exit code; unfinished runs show as interrupted.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "How many runs to show, newest first.")
    var limit: Int = 20

    @Flag(help: "Print the log as JSON.")
    var json = false

    func run() throws {
        let configuration = try options.load()
        let records = try failing { try StoreRecords.open(configuration, logger: makeLogger(quiet: true)).runLog(limit: limit) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: (try? encoder.encode(records)) ?? Data("[]".utf8), as: UTF8.self))
            return
        }
        for r in records {
            print("#\(r.runID) \(r.started) \(r.command) \(r.period ?? "-") \(r.outcome) (exit \(r.exitCode)) \(r.detail)")
        }
    }
}
