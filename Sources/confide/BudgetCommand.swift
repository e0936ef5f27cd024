import ArgumentParser
import ConfideModel
import ConfidePrivacy
import ConfideRelease
import ConfidePipeline

/// `confide budget`.
struct BudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Print the privacy budget ledger: each release, its ε, the rolling 52-week total and what is left.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the ledger as one JSON object.")
    var json = false

    func run() throws {
        let configuration = try options.load()
        let (entries, rolling) = try failing {
            let workspace = try Workspace(configuration: configuration, logger: makeLogger(quiet: true))
            let latest = ISOWeek.lastComplete(before: workspace.today)
            return (try workspace.ledgerEntries(), try workspace.rollingEpsilon(endingWith: latest))
        }
        let cap = configuration.epsilonCapPerYear
        if json {
            print(jsonText([
                "releases": entries.map { ["period": $0.period, "epsilon": $0.epsilon, "delta": $0.delta, "created": $0.created] as [String: Any] },
                "rolling_epsilon": rolling, "cap": cap, "remaining": max(0, cap - rolling),
                "epsilon_per_release": configuration.privacy.epsilonPerRelease.value, "mode": configuration.privacy.mode.rawValue,
            ] as [String: Any]))
            return
        }
        print("period    epsilon  delta  created")
        for entry in entries { print("\(entry.period)  \(entry.epsilon)  \(entry.delta)  \(entry.created)") }
        print("rolling 52 weeks: ε \(rolling) of \(cap); left \(max(0, cap - rolling)) (about \(Int(max(0, cap - rolling) / configuration.privacy.epsilonPerRelease.value)) weekly releases)")
    }
}
