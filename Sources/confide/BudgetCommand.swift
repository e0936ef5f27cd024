import ArgumentParser
import Foundation
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
            return (try workspace.ledgerEntries(), try workspace.worstYear())
        }
        let cap = configuration.epsilonCapPerYear
        let privacy = configuration.privacy
        // Sums of ε in binary floating point: shown to six decimal places (1e-6 of an ε).
        func six(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }
        let worst = six(rolling?.total ?? 0)
        // A year of weekly and supervision runs at today's settings.
        let yearly = privacy.worstCaseYear
        if json {
            print(jsonText([
                "releases": entries.map { entry in
                    ["period": entry.period, "epsilon": entry.epsilon, "delta": entry.delta, "created": entry.created,
                     "epsilon_events": Dictionary(uniqueKeysWithValues: entry.epsilonEvents.map { ($0.key.rawValue, six($0.value)) }),
                     "events_per_year": entry.eventsPerYear] as [String: Any]
                },
                "rolling_epsilon": worst, "cap": cap, "remaining": six(max(0, cap - worst)),
                "rolling_epsilon_by_kind": ["per_release": six(rolling?.perRelease ?? 0), "per_event": six(rolling?.perEvent ?? 0)] as [String: Any],
                "rolling_window_first_week": rolling?.first.description ?? "",
                "epsilon_per_release": privacy.mode == .dp ? privacy.epsilonPerWeek.value : 0,
                "epsilon_per_week": privacy.epsilonPerWeek.value, "epsilon_per_referral": privacy.epsilonPerReferral.value,
                "referrals_per_client_year": privacy.referralsPerClientYear, "worst_case_year_at_settings": six(yearly),
                "worst_case_year_by_series": ["weekly": six(privacy.worstCaseWeeklyYear), "supervision": six(privacy.worstCaseSupervisionYear)],
                "supervision": ["period_weeks": privacy.supervisionPeriodWeeks, "epsilon_per_year": privacy.supervisionEpsilonPerYear.value,
                                "epsilon_per_period": six(privacy.supervisionEpsilonPerPeriod.value),
                                "epsilon_per_referral": privacy.supervisionEpsilonPerReferral.value,
                                "events_per_year": privacy.supervisionEventsPerYear] as [String: Any],
                "mode": privacy.mode.rawValue,
            ] as [String: Any]))
            return
        }
        print("period    epsilon  per event                         delta  created")
        for entry in entries {
            let events = entry.epsilonEvents.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \(decimalText($0.value))" }.joined(separator: ", ")
            print("\(entry.period)  \(decimalText(entry.epsilon))  \(events.isEmpty ? "-" : events)  \(entry.delta)  \(entry.created)")
        }
        let from = rolling.map { " (52 weeks from \($0.first))" } ?? ""
        print("worst case of one client over any 52 weeks\(from): ε \(decimalText(worst)) of \(decimalText(cap)): " +
              "\(decimalText(rolling?.perRelease ?? 0)) weekly figures + \(decimalText(rolling?.perEvent ?? 0)) referral events; left \(decimalText(max(0, cap - worst)))")
        print("a year of weekly runs at today's settings costs a client at most ε \(decimalText(yearly)): weekly " +
              "52 × \(decimalText(privacy.epsilonPerWeek.value)) + \(privacy.referralsPerClientYear) referrals × \(decimalText(privacy.epsilonPerReferral.value)), " +
              "supervision every \(privacy.supervisionPeriodWeeks) weeks \(decimalText(privacy.supervisionEpsilonPerYear.value)) + " +
              "\(privacy.supervisionEventsPerYear) referrals × \(decimalText(privacy.supervisionEpsilonPerReferral.value))")
    }
}

