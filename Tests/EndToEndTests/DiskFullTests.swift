import Foundation
import Testing

/// The disk fills up under a scheduled run, without root: `ulimit -f` (RLIMIT_FSIZE) with
/// SIGXFSZ ignored, so every write past 64 KiB of any file fails with EFBIG as a full disk's
/// would fail with ENOSPC (`threats-and-tests.md` §3.4). Each command must stop with exit 74 and
/// a message that says what to do, leave the store and the published reports as they were, and
/// succeed when run again with room to write.
@Suite(.serialized) struct DiskFullTests {
    /// Runs `confide arguments…` with every file it writes limited to 64 KiB.
    static func runWithFullDisk(_ arguments: [String]) throws -> Binary.Result {
        let command = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""
        return try ExternalTool.run("bash", ["-c", command, try Binary.path] + arguments)
    }

    static func practice() throws -> String {
        try Binary.practice(clients: 300, seed: 11)
    }

    @Test func anIngestThatRunsOutOfDiskStopsWith74AndLeavesTheStoreAsItWas() throws {
        let folder = try Self.practice()
        let store = folder + "/confide.sqlite"
        let full = try Self.runWithFullDisk(["ingest", "--config", folder + "/confide.toml"])
        #expect(full.status == 74, "\(full.stdout)\n\(full.stderr)")
        #expect(full.stderr.contains("disk I/O error") && full.stderr.contains("Check free disk space"), "\(full.stderr)")
        #expect(try ExternalTool.sqlite(store, "PRAGMA integrity_check") == "ok")
        // The first ingest creates the store: the disk may fill before its schema is written
        // (an empty file is left) or after (empty tables); never some of the rows.
        if try ExternalTool.sqlite(store, "SELECT count(*) FROM sqlite_schema WHERE name = 'referrals'") == "1" {
            #expect(try ExternalTool.sqlite(store, "SELECT (SELECT count(*) FROM referrals) + (SELECT count(*) FROM appointments) + (SELECT count(*) FROM ingest_runs)") == "0")
        }

        let again = try Binary.run(["ingest", "--config", "confide.toml"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Int(ExternalTool.sqlite(store, "SELECT count(*) FROM referrals")) ?? 0 > 100)
    }

    @Test func aRunThatRunsOutOfDiskStopsWith74AndChangesNothingPublishedOrCharged() throws {
        let folder = try Self.practice()
        let store = folder + "/confide.sqlite"
        let first = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W25"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let reports = Binary.files(under: folder + "/Reports")
        let ledger = try ExternalTool.sqlite(store, "SELECT period, epsilon FROM ledger ORDER BY entry_id")
        #expect(!reports.isEmpty && !ledger.isEmpty)

        let full = try Self.runWithFullDisk(["run", "--config", folder + "/confide.toml", "--week", "2026-W26"])
        #expect(full.status == 74, "\(full.stdout)\n\(full.stderr)")
        #expect(full.stderr.contains("Check free disk space"), "\(full.stderr)")
        #expect(try ExternalTool.sqlite(store, "PRAGMA integrity_check") == "ok")
        #expect(try ExternalTool.sqlite(store, "SELECT period, epsilon FROM ledger ORDER BY entry_id") == ledger)
        #expect(try ExternalTool.sqlite(store, "SELECT count(*) FROM releases WHERE period = '2026-W26'") == "0")
        #expect(Binary.files(under: folder + "/Reports") == reports)   // nothing half-written, no staging left

        let again = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W26"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/2026-W26/weekly-report.html"))
    }
}
