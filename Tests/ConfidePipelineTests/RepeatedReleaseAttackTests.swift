import ConfideModel
import ConfidePrivacy
@testable import ConfidePipeline
import ConfideSynth
import Foundation
import Testing

/// The published practice-wide values of a week's caseload.csv, by measure.
private func practiceValues(_ folder: String) throws -> [String: String] {
    let csv = try String(contentsOfFile: folder + "/caseload.csv", encoding: .utf8)
    var values: [String: String] = [:]
    for line in csv.split(separator: "\r\n").dropFirst() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        if fields[2] == "practice" { values[String(fields[4])] = String(fields[6]) }
    }
    return values
}

@Suite struct RepeatedReleaseAttackTests {
    /// Averaging repeated runs: every re-run (also with --rerelease while the data are
    /// unchanged) publishes the stored release byte for byte and charges nothing, so the
    /// average of any number of runs is the first run's value and the ledger holds one charge.
    @Test func reRunsReturnTheStoredReleaseSoAveragingGainsNothing() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        let first = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), logger: quiet)
        let folder = first.weeks[0].path
        let published = try practiceValues(folder)
        let workspace = try Workspace(configuration: configuration, logger: quiet)
        let stored = try #require(try ReleaseStore(db: workspace.db).find(practice.plainWeek))
        for attempt in 0..<4 {
            let again = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), rerelease: attempt % 2 == 1, logger: quiet)
            #expect(again.weeks[0].epsilonCharged == 0)
            #expect(try practiceValues(folder) == published)
            #expect(try ReleaseStore(db: workspace.db).find(practice.plainWeek)?.release == stored.release)
        }
        #expect(try workspace.ledgerEntries().map(\.epsilon) == [PrivacySettings().epsilonPerWeek.value])
    }

    /// Forcing fresh draws by changing the data and re-releasing: each draw is charged, and once
    /// the yearly cap is reached the next one is refused with exit 80 and the published week
    /// stays as it was, so an attacker gets at most cap / ε draws to average. Each re-release of
    /// the week charges its weekly figures again and its events again (the same referrals are
    /// measured again): 11.1 a draw, so a cap of 40 allows three.
    @Test func forcedReReleasesStopAtTheCapAndPublishNothing() throws {
        let practice = try PracticeFixture(cap: "40.0")
        let configuration = try practice.configuration()
        var folder = ""
        for draw in 0..<3 {
            if draw > 0 {
                _ = try PracticeSynthesizer.write(to: practice.folder + "/exports", options: SynthOptions(
                    clients: 600 + 20 * draw, weeks: 30, seed: 9 + UInt64(draw), lastDay: practice.lastWeek.end, therapists: 6))
            }
            let run = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), rerelease: true, logger: quiet)
            #expect(abs(run.weeks[0].epsilonCharged - fullCharge) < 1e-9)
            folder = run.weeks[0].path
        }
        let before = try practiceValues(folder)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
        _ = try PracticeSynthesizer.write(to: practice.folder + "/exports", options: SynthOptions(
            clients: 700, weeks: 30, seed: 20, lastDay: practice.lastWeek.end, therapists: 6))
        #expect { _ = try ScheduledRun.run(configuration, selection: .week(practice.plainWeek), rerelease: true, logger: quiet) } throws: {
            ($0 as? ConfideError)?.status == .budgetExhausted
        }
        #expect(try practiceValues(folder) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")) == manifest)
        #expect(try Workspace(configuration: configuration, logger: quiet).ledgerEntries().map(\.epsilon) == [Double](repeating: PrivacySettings().epsilonPerWeek.value, count: 3))
    }
}
