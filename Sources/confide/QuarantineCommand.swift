import ArgumentParser
import ConfidePipeline
import Foundation

/// `confide quarantine`.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List the rows an ingest quarantined: file, line, column and reason, never the value.",
        discussion: "Without --run, the latest ingest. Fix the rows in the practice system's export and ingest again; the reasons are in docs/input-format.md.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("run"), help: "The ingest run to list (its number from 'confide quarantine --runs'); default the latest.")
    var runNumber: Int?

    @Flag(help: "List the ingest runs with how many rows each quarantined, instead of the rows.")
    var runs = false

    @Flag(help: "Print one JSON object: {\"run\": n, \"rows\": [{file, line, column, reason}], \"by_reason\": {...}}.")
    var json = false

    func validate() throws {
        if let runNumber, runNumber < 1 { throw ValidationError("--run must be a positive run number") }
    }

    func run() throws {
        let configuration = try options.load()
        let records = try failing { try StoreRecords.open(configuration, logger: makeLogger(quiet: true)) }
        if runs {
            let list = try failing { try records.ingestRuns() }
            if json {
                print(jsonText(["runs": list.map { ["run": $0.run, "started": $0.started, "quarantined": $0.quarantined] as [String: Any] }]))
            } else {
                for entry in list { print("#\(entry.run) \(entry.started) quarantined \(entry.quarantined)") }
            }
            return
        }
        let rows = try failing { try records.quarantine(run: runNumber) }
        var byReason: [String: Int] = [:]
        for row in rows { byReason["\(row.file): \(row.reason)", default: 0] += 1 }
        if json {
            print(jsonText([
                "run": rows.first?.run ?? runNumber ?? 0,
                "rows": rows.map { ["file": $0.file, "line": $0.line, "column": $0.column, "reason": $0.reason] as [String: Any] },
                "by_reason": byReason,
            ] as [String: Any]))
            return
        }
        guard let first = rows.first else {
            print(runNumber.map { "ingest run #\($0) quarantined nothing (or there is no such run)" } ?? "the latest ingest quarantined nothing")
            return
        }
        print("ingest run #\(first.run) (\(first.started)): \(rows.count) row(s) quarantined")
        for row in rows { print("\(row.file):\(row.line): \(row.column): \(row.reason)") }
        print("by reason: " + byReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
    }
}
