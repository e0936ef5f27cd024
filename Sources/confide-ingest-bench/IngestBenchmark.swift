import ArgumentParser
import ConfideBench
import ConfideIngest
import ConfideModel
import ConfideSchema
import ConfideStore
import ConfideSynth
import Foundation

/// `confide-ingest-bench`: synthesises practices, then times confide's ingest (validation,
/// pseudonymisation, upsert, one transaction) and, in the same run, the `sqlite3` shell's
/// `.import --csv` of the same three files into plain tables. Each runs in its own child
/// process so that its peak memory (`ru_maxrss`) is its own.
@main
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confide-ingest-bench",
        abstract: "Time confide's ingest against sqlite3 .import on synthetic practices.",
        subcommands: [Compare.self, IngestChild.self],
        defaultSubcommand: Compare.self)
}

/// The comparison (default subcommand).
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Synthesise, ingest and import; print both.")

    @Option(name: .customLong("clients"), help: "Practice size in clients; repeat for several sizes.")
    var clients: [Int] = [100_000, 1_000_000]

    @Option(help: "Folder for the synthetic exports and the stores (kept for reuse: existing exports are not re-synthesised).")
    var work: String = ".build-bench"

    @Option(help: "Runs per tool and size; the fastest run is reported.")
    var repeats: Int = 1

    func run() throws {
        let me = CommandLine.arguments[0]
        print("size      rows        tool              seconds   rows/s      peak RSS MiB")
        for size in clients {
            let folder = "\(work)/practice-\(size)"
            let exports = folder + "/exports"
            if !FileManager.default.fileExists(atPath: exports + "/measures.csv") {
                try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
                _ = try PracticeSynthesizer.write(to: exports, options: SynthOptions(clients: size, seed: 1, lastDay: SyntheticPractice.lastDay))
            }
            let rows = try exportRows(exports)
            var results: [(String, Double, Int)] = []
            for _ in 0..<repeats {
                try? FileManager.default.removeItem(atPath: folder + "/store.sqlite")
                try? FileManager.default.removeItem(atPath: folder + "/store.sqlite-wal")
                try? FileManager.default.removeItem(atPath: folder + "/store.sqlite-shm")
                let confide = try timed(me, ["ingest-child", "--exports", exports, "--store", folder + "/store.sqlite"], stdin: nil)
                results.append(("confide ingest", confide.seconds, confide.maxRSSKiB))
                try? FileManager.default.removeItem(atPath: folder + "/import.db")
                let script = ".import --csv \(exports)/referrals.csv referrals\n.import --csv \(exports)/appointments.csv appointments\n.import --csv \(exports)/measures.csv measures\n"
                let importRun = try timed("/usr/bin/sqlite3", [folder + "/import.db"], stdin: script)
                results.append(("sqlite3 .import", importRun.seconds, importRun.maxRSSKiB))
            }
            for tool in ["confide ingest", "sqlite3 .import"] {
                let best = results.filter { $0.0 == tool }.min { $0.1 < $1.1 }!
                let line = [String(size).padding(9), String(rows).padding(11), tool.padding(17),
                            String(format: "%.2f", best.1).padding(9), String(format: "%.0f", Double(rows) / best.1).padding(11),
                            String(format: "%.1f", Double(best.2) / 1024)]
                print(line.joined(separator: " "))
            }
            let confideBest = results.filter { $0.0 == "confide ingest" }.map(\.1).min()!
            let importBest = results.filter { $0.0 == "sqlite3 .import" }.map(\.1).min()!
            print(String(format: "%d clients: confide at %.2f of .import's rows per second (target >= 0.50)", size, importBest / confideBest))
        }
    }
}

/// Runs one ingest in this process (the child the comparison times).
struct IngestChild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest-child", abstract: "Ingest one export folder into a new store.")

    @Option(help: "The canonical export folder.")
    var exports: String

    @Option(help: "The store to create.")
    var store: String

    func run() throws {
        let db = try Database(path: store)
        try Schema.migrator.migrate(db)
        let key = try PracticeKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let report = try Ingestor(key: key, timeZone: TimeZone(identifier: "Europe/London")!)
            .ingest(ExportSource(path: exports), into: db, startedAt: "bench")
        for file in report.files where !file.isReconciled || file.quarantined > 0 {
            FileHandle.standardError.write(Data("\(file.file): read \(file.read) loaded \(file.loaded) quarantined \(file.quarantined)\n".utf8))
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
