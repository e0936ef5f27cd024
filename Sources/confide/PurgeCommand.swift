import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide purge`.
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete the referrals whose retention period ([retention]) has passed, with their appointments and scores.",
        discussion: """
            A referral is kept while it is open, and after it ends for [retention] adult_years (20) or, for a client under 18 \
            when referred, until the under_18_until_age birthday (25; 26 if 17 when treatment ended). Each deleted referral \
            keeps only a keyed tombstone, so a re-ingest skips its rows (counted as expired). The deletion is one transaction; \
            the deleted bytes are then removed from the store's files (checkpoint and VACUUM). Stored releases and the ledger \
            stay. Exit 75 when a run holds the lock.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(name: .customLong("dry-run"), help: "Count what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON object: {today, dry_run, referrals, appointments, measures, waiting, adult_referrals, under_18_referrals, unknown_age_referrals}.")
    var json = false

    func run() throws {
        let configuration = try options.load()
        let report = try failing {
            try Workspace.locked(configuration, logger: makeLogger(quiet: json)) { try $0.loggedPurge(dryRun: dryRun) }
        }
        if json {
            print(jsonText(["today": report.today, "dry_run": report.dryRun, "referrals": report.referrals,
                            "appointments": report.appointments, "measures": report.measures, "waiting": report.waiting,
                            "adult_referrals": report.adultReferrals, "under_18_referrals": report.under18Referrals,
                            "unknown_age_referrals": report.unknownAgeReferrals] as [String: Any]))
        } else {
            print("purge: " + report.summary)
        }
    }
}
