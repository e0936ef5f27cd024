import ConfideSynth
import Foundation
import Testing

/// The lines of a long-format CSV without their last four fields (value, interval, status):
/// the rows a release has whatever its noise.
private func rowKeys(_ data: Data) -> [String] {
    String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n").map { $0.components(separatedBy: ",").dropLast(4).joined(separator: ",") }
}

@Suite(.serialized) struct KillAndRerunTests {
    static let week = "2026-W24"  // closes the supervision period W21-W24 (the data end with W26)

    /// A practice ready to run: configuration, key and exports, nothing ingested or published.
    static func practice() throws -> String {
        try Binary.practice(clients: 150, seed: 5)
    }

    /// Runs the binary with `arguments` in `folder` and kills it with SIGKILL after `delay`
    /// microseconds (or lets it end, when it ends first).
    static func killed(_ arguments: [String], in folder: String, after delay: useconds_t) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Binary.path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func copy(_ folder: String) throws -> String {
        let copy = Binary.temporaryFolder() + "/practice"
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        return copy
    }

    /// A run killed with SIGKILL at seeded random points, then run again, against an
    /// uninterrupted run of the same practice. The noise is drawn afresh when the kill came
    /// before the release was stored, so the comparison is: the same files and rows as the
    /// uninterrupted run, the values of the one stored release re-published byte for byte, the
    /// budget charged once per stored release, the audit passing, and no staging left.
    @Test func aRunKilledAtRandomPointsAndRunAgainEndsLikeAnUninterruptedRun() throws {
        let practice = try Self.practice()
        let run = ["run", "--config", "confide.toml", "--week", Self.week]

        let golden = try Self.copy(practice)
        let started = Date()
        let uninterrupted = try Binary.run(run, in: golden)
        let duration = Date().timeIntervalSince(started)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let goldenFiles = Binary.files(under: golden + "/Reports/" + Self.week)
        let goldenIndex = FileManager.default.contents(atPath: golden + "/Reports/index.html")
        #expect(goldenFiles.count > 5)

        var random = SeededGenerator(seed: 0x6b69_6c6c)  // the kill delays, so a failing iteration can be replayed
        var killedBeforeStore = 0, killedAfterStore = 0
        let iterations = 3
        for iteration in 0..<iterations {
            let folder = try Self.copy(practice)
            // Stratified over the length of an uninterrupted run, denser at the start (the
            // release is stored within its first fifth or so; rendering, the audit and the
            // rename take the rest): iteration i falls in [(i/n)², ((i+1)/n)²) of the run.
            let stratum = (Double(iteration) + Double(random.next() % 1_000) / 1_000) / Double(iterations)
            let fraction = stratum * stratum
            let delay = UInt32(fraction * duration * 1_000_000)
            try Self.killed(run, in: folder, after: delay)
            let context = "iteration \(iteration), kill after \(delay / 1_000) ms"

            let store = folder + "/confide.sqlite"
            // Stored: the week's release and the supervision period's it closes (each drawn and
            // charged in its own transaction; a kill between them leaves the period to draw).
            let stored = FileManager.default.fileExists(atPath: store)
                ? (try ExternalTool.sqlite(store, "SELECT (SELECT count(*) FROM releases) + (SELECT count(*) FROM supervision_releases)") == "2") : false
            if stored { killedAfterStore += 1 } else { killedBeforeStore += 1 }
            print("kill and re-run: \(context) of \(Int(duration * 1_000)) ms: release \(stored ? "stored" : "not stored")")

            let again = try Binary.run(run, in: folder)
            #expect(again.status == 0, "\(context): \(again.stderr)")
            // A stored release is published again without a new draw or charge.
            #expect(again.stdout.contains("charged ε") == !stored, "\(context): \(again.stdout)")

            let reports = folder + "/Reports"
            let entries = try FileManager.default.contentsOfDirectory(atPath: reports)
            #expect(!entries.contains { $0.hasPrefix(".staging-") }, "\(context): staging left behind: \(entries)")
            let files = Binary.files(under: reports + "/" + Self.week)
            #expect(Set(files.keys) == Set(goldenFiles.keys), "\(context): the folder differs from an uninterrupted run's")
            for (name, data) in files where name.hasSuffix(".csv") {
                #expect(rowKeys(data) == rowKeys(goldenFiles[name] ?? Data()), "\(context): \(name) has other rows")
            }
            #expect(FileManager.default.contents(atPath: reports + "/index.html") == goldenIndex, "\(context): index.html")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: reports + "/latest")) == Self.week, "\(context): latest")

            // Charged exactly once for each stored release (the week's and the supervision
            // period's it closes); the store is sound.
            #expect(try ExternalTool.sqlite(store, "SELECT count(*) FROM releases") == "1", "\(context)")
            #expect(try ExternalTool.sqlite(store, "SELECT count(*) FROM supervision_releases") == "1", "\(context)")
            #expect(try ExternalTool.sqlite(store, "SELECT group_concat(period, ' ') FROM (SELECT period FROM ledger ORDER BY period)")
                    == "2026-W21/2026-W24 2026-W24", "\(context)")
            #expect(try ExternalTool.sqlite(store, "PRAGMA integrity_check") == "ok", "\(context)")
            let audit = try Binary.run(["audit", reports + "/" + Self.week], in: folder)
            #expect(audit.status == 0, "\(context): \(audit.stdout)")

            // The stored release re-published by an uninterrupted run gives the same bytes.
            let third = try Binary.run(run, in: folder)
            #expect(third.status == 0 && third.stdout.contains("unchanged"), "\(context): \(third.stdout)")
            #expect(Binary.files(under: reports + "/" + Self.week) == files, "\(context)")
        }
        // Which side of the commit the kills fell on depends on the machine; both are checked above.
        print("kill and re-run: \(killedBeforeStore) killed before the release was stored, \(killedAfterStore) after")
    }

    /// `run --backfill` killed at seeded random points, then a plain run of a later week: every
    /// week the backfill charged is published from its stored release (no second charge), and
    /// the ledger holds each period once.
    @Test func aBackfillKilledMidWayIsFinishedByTheNextPlainRun() throws {
        let practice = try Self.practice()
        let backfill = ["run", "--config", "confide.toml", "--backfill", "2026-W21", "--yes", "--quiet"]
        let golden = try Self.copy(practice)
        let started = Date()
        // The backfill runs to the latest complete week; the practice's data end with 2026-W26,
        // so it publishes W21-W26 and stops at W27 with the quality check week_in_data (65).
        let whole = try Binary.run(backfill, in: golden)
        #expect(whole.status == 65 && whole.stderr.contains("2026-W27 is outside the data"), "\(whole.stderr)")
        #expect(FileManager.default.fileExists(atPath: golden + "/Reports/2026-W26/manifest.json"))
        let duration = Date().timeIntervalSince(started)
        var random = SeededGenerator(seed: 0x6261_636b)
        for iteration in 0..<3 {
            let folder = try Self.copy(practice)
            let fraction = (Double(iteration) + Double(random.next() % 1_000) / 1_000) / 3
            try Self.killed(backfill, in: folder, after: useconds_t(duration * fraction * 1_000_000))
            let context = "iteration \(iteration), kill at \(Int(fraction * 100))% of the backfill"
            let store = folder + "/confide.sqlite"
            guard FileManager.default.fileExists(atPath: store) else { continue }
            let charged = try ExternalTool.sqlite(store, "SELECT period FROM releases ORDER BY period").split(separator: "\n").map(String.init)
            let ledgerBefore = try ExternalTool.sqlite(store, "SELECT count(*) FROM ledger")
            let periodsBefore = try ExternalTool.sqlite(store, "SELECT count(*) FROM supervision_releases")

            let plain = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W26"], in: folder)
            #expect(plain.status == 0, "\(context): \(plain.stderr)")
            for week in charged {
                #expect(FileManager.default.fileExists(atPath: folder + "/Reports/\(week)/manifest.json"), "\(context): \(week) charged but not published")
            }
            // Each period charged once: week 26 is new unless the backfill had reached it, and a
            // supervision period (W21-W24) is new when the kill fell after its last week was
            // stored and before the period was; nothing else is charged.
            let duplicates = try ExternalTool.sqlite(store, "SELECT count(*) FROM (SELECT period FROM ledger GROUP BY period HAVING count(*) > 1)")
            #expect(duplicates == "0", "\(context)")
            let added = Int(try ExternalTool.sqlite(store, "SELECT count(*) FROM ledger"))! - Int(ledgerBefore)!
            let newPeriods = Int(try ExternalTool.sqlite(store, "SELECT count(*) FROM supervision_releases"))! - Int(periodsBefore)!
            #expect(newPeriods >= 0 && newPeriods <= 1, "\(context): \(newPeriods) new supervision periods")
            #expect(added == (charged.contains("2026-W26") ? 0 : 1) + newPeriods, "\(context): \(added) new charges")
        }
    }
}
