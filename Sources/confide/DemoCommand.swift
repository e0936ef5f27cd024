import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide demo`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Synthesise a small practice, initialise a workspace, publish its recent weeks and print the report's path.",
        discussion: "The newcomer's first command: about 12 therapists and two years of synthetic data; nothing real is read.")

    @Option(help: ArgumentHelp("The demo workspace (configuration, key, store, exports).", valueName: "dir"))
    var workspace: String = ".confide-demo"

    @Option(help: ArgumentHelp("Where reports are published.", valueName: "dir"))
    var reports: String = "Reports"

    @Option(help: "Distinct clients in the synthetic practice (over two years, 12 therapists).")
    var clients: Int = 3_000

    @Option(help: "Recent weeks to publish, so the report shows trends and its outcome figures a whole 13-week window.")
    var weeks: Int = 13

    func validate() throws {
        guard (50...2_000_000).contains(clients) else { throw ValidationError("--clients must be between 50 and 2000000") }
        guard (1...52).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 52") }
    }

    func run() throws {
        let result = try failing {
            try Demo.run(workspace: workspace, reportsDir: reports, clients: clients, weeks: weeks, logger: makeLogger())
        }
        print("configuration: \(result.configuration)")
        for outcome in result.summary.weeks { print("\(outcome.period): \(outcome.status)") }
        print("report: \(result.reportPath)")
    }
}
