import ConfideMetrics
import ConfidePrivacy
import ConfideModel
@testable import ConfidePipeline
import ConfideStore
import ConfideSynth
import Foundation
import Logging
import Testing

/// A practice folder: configuration, key and a small synthetic export ending on a past Sunday.
struct PracticeFixture {
    let folder: String
    let configPath: String
    let lastWeek: ISOWeek

    init(mode: String = "dp", cap: String = "220", clients: Int = 600, extra: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-pipeline-\(UUID().uuidString)").path
        let result = try Initialiser.initialise(directory: folder, practiceName: "Test practice")
        configPath = result.configuration
        var text = try String(contentsOfFile: configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "mode = \"dp\"", with: "mode = \"\(mode)\"")
            .replacingOccurrences(of: "epsilon_cap_per_year = 100.0", with: "epsilon_cap_per_year = \(cap)") + extra
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        lastWeek = ISOWeek.lastComplete(before: Day.today(in: TimeZone(identifier: "Europe/London")!))
        try FileManager.default.createDirectory(atPath: folder + "/exports", withIntermediateDirectories: true)
        _ = try PracticeSynthesizer.write(to: folder + "/exports", options: SynthOptions(clients: clients, weeks: 30, seed: 9, lastDay: lastWeek.end, therapists: 6))
    }

    func configuration() throws -> Configuration { try Configuration(path: configPath) }

    /// The newest complete week that closes no supervision period (of the default four weeks),
    /// so that a run of it charges the week's release alone, whatever the date.
    var plainWeek: ISOWeek { SupervisionPeriod(containing: lastWeek, weeks: 4).isClosed(by: lastWeek) ? lastWeek.previous : lastWeek }
}

let quiet: Logger = { var l = Logger(label: "test"); l.logLevel = .critical; return l }()

private func files(under path: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for relative in FileManager.default.subpaths(atPath: path) ?? [] {
        var dir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &dir), !dir.boolValue {
            result[relative] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative))
        }
    }
    return result
}

/// What a default dp release of a whole practice costs one client at most: its weekly figures
/// and one event of each kind, which together are one referral's whole event budget.
let fullCharge = PrivacySettings().epsilonPerWeek.value + PrivacySettings().epsilonPerReferral.value

@Suite struct PipelineTests {
    @Test func publishesAWeekAndReRunsByteForByteWithoutCharging() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        let first = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(first.weeks.map(\.status) == ["published"])
        #expect(abs(first.weeks[0].epsilonCharged - fullCharge) < 1e-9)
        let path = first.weeks[0].path
        let before = try files(under: path)
        #expect(Set(before.keys).isSuperset(of: ["weekly-report.html", "weekly-report.md", "caseload.csv", "outcomes.csv", "manifest.json"]))
        let second = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(second.weeks.map(\.status) == ["unchanged"])
        #expect(second.weeks[0].epsilonCharged == 0)
        #expect(try files(under: path) == before)
        let workspace = try Workspace(configuration: configuration, logger: quiet)
        #expect(try workspace.ledgerEntries().count == 1)
        #expect(try workspace.runLog().map(\.outcome) == ["ok", "ok"])
    }

    @Test func aReleaseOverTheYearlyCapIsRefusedAndNothingIsPublished() throws {
        // One week costs 11.1 (1.1 for its weekly figures, 10 for referral events); two, 22.2.
        let practice = try PracticeFixture(cap: "20.0")
        let configuration = try practice.configuration()
        _ = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek.previous), logger: quiet)
        do {
            _ = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
            Issue.record("expected the budget cap to refuse the release")
        } catch let error as ConfideError {
            #expect(error.status == .budgetExhausted)
        }
        #expect(!FileManager.default.fileExists(atPath: configuration.publishDir + "/" + practice.plainWeek.description))
        // The week before may have closed a supervision period (charged 2.3 more): one weekly charge.
        #expect(try Workspace(configuration: configuration, logger: quiet).ledgerEntries().filter { !$0.isSupervision }.count == 1)
    }

    @Test func changedDataKeepsTheStoredReleaseUnlessAskedToRerelease() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        _ = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        // A later export with more clients changes the week's data.
        _ = try PracticeSynthesizer.write(to: practice.folder + "/exports", options: SynthOptions(clients: 700, weeks: 30, seed: 10, lastDay: practice.lastWeek.end, therapists: 6))
        let kept = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(kept.weeks[0].dataChangedSinceRelease)
        #expect(kept.weeks[0].epsilonCharged == 0)
        let again = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), rerelease: true, logger: quiet)
        #expect(abs(again.weeks[0].epsilonCharged - fullCharge) < 1e-9)
        #expect(try Workspace(configuration: configuration, logger: quiet).ledgerEntries().count == 2)
    }

    @Test func aReleaseUnderEarlierDefinitionsIsKeptAndNamedAsSuch() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        let first = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(first.weeks[0].releasedDefinitions == nil)
        // The store of an earlier confide: the same week, released under other definitions.
        let db = try Database(path: configuration.storePath)
        try db.execute("UPDATE releases SET payload = replace(payload, ?, ?), data_hash = 'earlier'",
                       ["\"\(Catalogue.definitionVersion)\"", "\"confide-metrics-4\""])
        let kept = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(kept.weeks[0].dataChangedSinceRelease && kept.weeks[0].epsilonCharged == 0)
        #expect(kept.weeks[0].releasedDefinitions == "confide-metrics-4")
        let again = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), rerelease: true, logger: quiet)
        #expect(again.weeks[0].releasedDefinitions == nil && abs(again.weeks[0].epsilonCharged - fullCharge) < 1e-9)
    }

    @Test func sdcModeChargesNothingAndRoundsToFive() throws {
        let practice = try PracticeFixture(mode: "sdc")
        let configuration = try practice.configuration()
        let run = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        #expect(run.weeks[0].epsilonCharged == 0)
        let csv = try String(contentsOfFile: run.weeks[0].path + "/caseload.csv", encoding: .utf8)
        let counts = csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .filter { !$0[4].hasSuffix("_rate") && $0[9] == "published" }.map { Int($0[6])! }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 % 5 == 0 })
    }

    @Test func refusesAKeyOthersCanRead() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        chmod(configuration.keyFile, 0o644)
        #expect { _ = try Workspace(configuration: configuration, logger: quiet) } throws: { ($0 as? ConfideError)?.status == .noPermission }
    }

    @Test func refusesADifferentKeyForTheSameStore() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        _ = try Workspace(configuration: configuration, logger: quiet)
        try FileManager.default.removeItem(atPath: configuration.keyFile)
        try KeyFile.create(at: configuration.keyFile)
        #expect { _ = try Workspace(configuration: configuration, logger: quiet) } throws: { ($0 as? ConfideError)?.status == .noPermission }
    }

    @Test func initNeverOverwritesTheKey() throws {
        let practice = try PracticeFixture()
        let key = try Data(contentsOf: URL(fileURLWithPath: try practice.configuration().keyFile))
        let again = try Initialiser.initialise(directory: practice.folder)
        #expect(!again.createdKey && !again.wroteConfiguration)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again.keyFile)) == key)
    }

    @Test(arguments: [
        ("[privacy]\nmode = \"loose\"\n", ConfidePipeline.ExitStatus.config),
        ("[privacy]\nmin_clients = 0\n", .config),
        ("[practice]\ntimezone = \"Mars/Olympus\"\n", .config),
        ("[privacy\n", .config),
        ("[privacy]\nepsilon_per_release = -1\n", .config),
        ("[metrics]\ninstruments = \"bdi\"\n", .config),
        ("[metrics]\noutcome_breakdowns = [\"shoe_size\"]\n", .config),
        ("[metrics]\nage_bands = \"young\"\n", .config),
        ("[metrics]\nphq9_caseness = 99\n", .config),
    ])
    func badConfigurationIsRefusedWithExit78(_ text: String, _ status: ConfidePipeline.ExitStatus) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { _ = try Configuration(path: path) } throws: { ($0 as? ConfideError)?.status == status }
    }

    @Test func metricsSectionIsRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-\(UUID().uuidString).toml").path
        try "[metrics]\ninstruments = \"core10\"\ncore10_caseness = 12\nage_bands = [18, 30, 65]\noutcome_breakdowns = [\"therapist\", \"gender\"]\nactive_contact_days = 60\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let metrics = try Configuration(path: path).metrics
        #expect(metrics.instruments == .core10 && metrics.core10Caseness == 12 && metrics.activeContactDays == 60)
        #expect(metrics.ageBands.label(40) == "30-64" && metrics.ageBands.label(70) == "65+")
        #expect(metrics.outcomeBreakdowns.map(\.rawValue) == ["therapist", "gender"])
    }

    @Test func futureWeeksAreRefused() throws {
        let today = Day(iso: "2026-11-25")!
        #expect { _ = try WeekSelection.week(ISOWeek("2026-W48")!).weeks(today: today) } throws: { ($0 as? ConfideError)?.status == .usage }
        #expect(try WeekSelection.backfill(from: ISOWeek("2026-W45")!).weeks(today: today).map(\.description) == ["2026-W45", "2026-W46", "2026-W47"])
    }
}
