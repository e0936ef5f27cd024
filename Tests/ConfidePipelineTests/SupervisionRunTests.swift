import ConfideModel
@testable import ConfidePipeline
import Foundation
import Testing

/// The last supervision period of `weeks` weeks that had closed by `week`.
private func closedPeriod(by week: ISOWeek, weeks: Int) -> SupervisionPeriod {
    let period = SupervisionPeriod(containing: week, weeks: weeks)
    return period.isClosed(by: week) ? period : period.previous(weeks: weeks)
}

private func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
}

@Suite struct SupervisionRunTests {
    /// Only the week that closes a period carries therapist figures: its caseload.csv and
    /// outcomes.csv get the period's therapist rows (the period's dates; the outcomes those of
    /// their window), each therapist's supervision file holds exactly those rows, the ledger
    /// gets one charge for the period, and a re-run neither draws nor charges again.
    @Test func theWeekThatClosesAPeriodPublishesItsTherapistFiguresOnce() throws {
        let practice = try PracticeFixture()
        let configuration = try practice.configuration()
        let period = closedPeriod(by: practice.lastWeek, weeks: 4)

        let before = try ScheduledRun.run(configuration, selection: .week(period.last.previous), logger: quiet).weeks[0]
        #expect(before.supervisionPeriod == nil)
        #expect(!FileManager.default.fileExists(atPath: before.path + "/supervision"))
        #expect(try !lines(before.path + "/caseload.csv").contains { $0.contains(",therapist,") })
        #expect(try !lines(before.path + "/outcomes.csv").contains { $0.contains(",therapist,") })

        let closing = try ScheduledRun.run(configuration, selection: .week(period.last), logger: quiet).weeks[0]
        #expect(closing.supervisionPeriod == period.description)
        let dates = "\(period.first.start.iso),\(period.last.end.iso),"
        let caseload = try lines(closing.path + "/caseload.csv").filter { $0.contains(",therapist,") }
        let outcomes = try lines(closing.path + "/outcomes.csv").filter { $0.contains(",therapist,") }
        #expect(!caseload.isEmpty && caseload.allSatisfy { $0.hasPrefix(dates) })
        // The first period released: its outcome window is the period itself (no earlier periods to sum).
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.hasPrefix(dates) })
        for measure in ["clients_seen", "appointments_attended", "dna_rate", "active_caseload", "waiting_list", "referrals_ended"] {
            #expect(caseload.contains { $0.contains(",\(measure),") }, "\(measure)")
        }
        for measure in ["finished_treatment", "recovery_rate", "reliable_improvement_rate", "reliable_deterioration_rate"] {
            #expect(outcomes.contains { $0.contains(",\(measure),") }, "\(measure)")
        }
        let therapists = Set(caseload.map { $0.split(separator: ",")[3] })
        let supervision = try FileManager.default.contentsOfDirectory(atPath: closing.path + "/supervision")
        #expect(supervision.count == therapists.count)
        for therapist in therapists {
            let file = try lines(closing.path + "/supervision/\(therapist).csv")
            #expect(Array(file.dropFirst()) == (caseload + outcomes).filter { $0.split(separator: ",")[3] == therapist })
        }

        let workspace = try Workspace(configuration: configuration, logger: quiet)
        let entries = try workspace.ledgerEntries()
        #expect(entries.filter(\.isSupervision).map(\.period) == [period.description])
        #expect(abs(entries.first(where: \.isSupervision)!.epsilon - configuration.privacy.supervisionEpsilonPerPeriod.value) < 1e-9)

        let again = try ScheduledRun.run(configuration, selection: .week(period.last), logger: quiet).weeks[0]
        #expect(again.status == "unchanged" && again.epsilonCharged == 0)
        #expect(try workspace.ledgerEntries().count == entries.count)
    }

    /// Disclosure control gets the same periods: counts rounded to 5, the outcomes computed
    /// exactly over the 52 weeks to the period's end, nothing charged.
    @Test func sdcModeHasTheSamePeriodsWithA52WeekOutcomeWindow() throws {
        let practice = try PracticeFixture(mode: "sdc", extra: "\n[supervision]\nperiod_weeks = 13\n")
        let configuration = try practice.configuration()
        #expect(configuration.metrics.supervisionPeriodWeeks == 13)
        let period = closedPeriod(by: practice.lastWeek, weeks: 13)
        let closing = try ScheduledRun.run(configuration, selection: .week(period.last), logger: quiet).weeks[0]
        #expect(closing.supervisionPeriod == period.description && closing.epsilonCharged == 0)
        let rows = try lines(closing.path + "/caseload.csv").filter { $0.contains(",therapist,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(!rows.isEmpty && rows.allSatisfy { $0[0] == period.first.start.iso && $0[1] == period.last.end.iso })
        for row in rows where row.count == 10 && row[9] == "published" && !row[4].hasSuffix("_rate") {
            #expect(Int(row[6])! % 5 == 0)
        }
        let outcomes = try lines(closing.path + "/outcomes.csv").filter { $0.contains(",therapist,") }
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.hasPrefix("\(period.last.adding(weeks: -51).start.iso),\(period.last.end.iso),") })
    }
}
