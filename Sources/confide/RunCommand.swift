import ArgumentParser
import ConfideIngest
import ConfideModel
import ConfidePipeline
import Foundation

/// `confide run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Ingest, then compute, protect and publish a week to <publish.dir>/<ISO week>/.",
        discussion: """
        Re-running a published week publishes the stored values byte for byte and charges nothing. \
        A second run at the same time exits with 75 (try later) unless --wait is given.
        """)

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Publish this ISO week, YYYY-Www (a past, complete week).", valueName: "week"))
    var week: String?

    @Flag(help: "Publish the last complete ISO week in the practice's time zone (the default).")
    var latest = false

    @Option(help: ArgumentHelp("Publish every week from this ISO week to the latest, in order.", valueName: "week"))
    var backfill: String?

    @Flag(help: "Release again weeks whose data changed since their release (charges the budget again).")
    var rerelease = false

    @Flag(help: "Wait for another run to finish instead of exiting with 75.")
    var wait = false

    @Flag(help: "Confirm a --backfill whose releases could charge one client more than half of epsilon_cap_per_year.")
    var yes = false

    @Flag(help: "Publish a week that fails the [quality] checks anyway; the failures are recorded in its manifest and the run log.")
    var acceptQuality = false

    @Flag(help: "Log warnings only.")
    var quiet = false

    func validate() throws {
        if [week != nil, backfill != nil, latest].filter({ $0 }).count > 1 {
            throw ValidationError("give at most one of --week, --backfill and --latest")
        }
        if let week, ISOWeek(week) == nil { throw ValidationError("--week must be an ISO week such as 2026-W47") }
        if let backfill, ISOWeek(backfill) == nil { throw ValidationError("--backfill must be an ISO week such as 2026-W40") }
    }

    func run() throws {
        let configuration = try options.load()
        let selection: WeekSelection = if let week { .week(ISOWeek(week)!) } else if let backfill { .backfill(from: ISOWeek(backfill)!) } else { .latest }
        if let backfill {
            let preview = try failing {
                try Workspace(configuration: configuration, logger: makeLogger(quiet: true)).backfillPreview(from: ISOWeek(backfill)!)
            }
            let cap = configuration.epsilonCapPerYear
            print("backfill \(preview.weeks.first?.description ?? backfill)..\(preview.weeks.last?.description ?? backfill): \(preview.weeks.count) week(s), "
                  + "\(preview.new.count) to release (\(preview.periods) supervision period(s)), charging one client at most ε \(decimalText(preview.epsilon)) in all; "
                  + "one client's worst case over any 52 weeks is ε \(decimalText(preview.worstNow)) now and \(decimalText(preview.worstAfter)) after "
                  + "(epsilon_cap_per_year \(decimalText(cap))\(preview.worstAfter > cap ? ": the weeks that would pass it will be refused" : ""))")
            if preview.epsilon > cap / 2 && !yes {
                printError("this backfill could charge one client more than half the yearly cap (ε \(decimalText(preview.epsilon)) of \(decimalText(cap))); nothing was done. Pass --yes to go ahead, or backfill from a later week.")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        let started = Date()
        let progress = isatty(2) == 1
        _ = try failing {
            try ScheduledRun.run(configuration, selection: selection, wait: wait, rerelease: rerelease, acceptQuality: acceptQuality,
                                 logger: makeLogger(quiet: quiet), purged: { report in print("purge: " + report.summary) }, ingested: { report in
                for file in report.files {
                    print("ingest \(file.file): read \(file.read), loaded \(file.loaded), quarantined \(file.quarantined)" + file.erasedText)
                }
            }, weekFinished: { outcome, done, total in
                if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                print(Self.line(outcome))
                // A progress line on a terminal for a backfill past two seconds: weeks done, eta.
                let elapsed = Date().timeIntervalSince(started)
                if progress, done < total, elapsed > 2 {
                    let eta = Int(elapsed / Double(done) * Double(total - done))
                    FileHandle.standardError.write(Data("confide: \(done) of \(total) weeks published, about \(eta) s to go".utf8))
                }
            })
        }
    }

    /// The line printed for a published week.
    static func line(_ outcome: WeekOutcome) -> String {
        var line = "\(outcome.period): \(outcome.status) \(outcome.path)/weekly-report.html"
        if outcome.epsilonCharged > 0 {
            // The release's weekly figures plus one event of each kind: the most it can cost one client.
            line += " (charged ε \(decimalText(outcome.epsilonCharged)) at most, to a client with every kind of referral event this week)"
        }
        if let definitions = outcome.releasedDefinitions {
            line += " (released under definitions \(definitions): stored values published; --rerelease to release again)"
        } else if outcome.dataChangedSinceRelease {
            line += " (data changed since release: stored values published; --rerelease to release again)"
        }
        return line
    }
}
