import Foundation
import Testing

/// Two schedulers (or a scheduler and a person) start the same week at the same moment
/// (`threats-and-tests.md` §3.3): one run publishes, the other waits for nothing and exits 75,
/// or, when it starts after the first has finished, publishes the stored release again. Either
/// way the week is drawn and charged once.
@Suite(.serialized) struct ConcurrentRunTests {
    @Test func twoRunsOfTheSameWeekStartedTogetherChargeTheBudgetOnce() throws {
        let folder = try Binary.practice(clients: 150, seed: 4)
        #expect(try Binary.run(["ingest", "--config", "confide.toml"], in: folder).status == 0)

        let confide = try Binary.path
        var statuses: [Int32] = []
        let weeks = (20...25).map { "2026-W\($0)" }
        for week in weeks {
            let pair = (0..<2).map { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: confide)
                process.arguments = ["run", "--config", folder + "/confide.toml", "--week", week]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in pair { try process.run() }
            for process in pair { process.waitUntilExit() }
            statuses += pair.map(\.terminationStatus)
            #expect(pair.contains { $0.terminationStatus == 0 }, "\(week): one of the two publishes")
            #expect(pair.allSatisfy { [0, 75].contains($0.terminationStatus) }, "\(week): \(pair.map(\.terminationStatus))")
        }
        let charges = try ExternalTool.sqlite(folder + "/confide.sqlite", "SELECT period || ':' || count(*) FROM ledger GROUP BY period ORDER BY period")
        // Each week once, and each supervision period its weeks close (W17-W20, W21-W24) once.
        #expect(charges == (weeks + ["2026-W17/2026-W20", "2026-W21/2026-W24"]).sorted().map { "\($0):1" }.joined(separator: "\n"))
        #expect(try Binary.run(["audit", folder + "/Reports/" + weeks.last!], in: folder).status == 0)
        // A run lasts about a second and the two start within milliseconds: the lock is seen.
        #expect(statuses.contains(75), "\(statuses)")
        print("concurrent runs: exit codes \(statuses)")
    }
}
