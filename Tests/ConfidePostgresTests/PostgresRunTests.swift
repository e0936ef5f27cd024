@testable import ConfidePipeline
import ConfideModel
import ConfidePostgres
import ConfideSynth
import Dispatch
import Foundation
import Logging
import Testing

/// The weekly run on a PostgreSQL store when its connection dies in the middle: the week's
/// release and its charge are one transaction on the server, so a run killed while it charges
/// keeps neither, and the next run charges the week once.
@Suite("PostgreSQL weekly run", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresRunTests {
    @Test func aConnectionKilledWhileAWeekIsChargedKeepsNeitherReleaseNorChargeAndTheRerunChargesOnce() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgrun-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/exports", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            [practice]
            name = "Riverside"
            [source]
            path = "exports"
            [store]
            url = "\(location.url)"
            [privacy]
            key_file = "confide.key"
            [publish]
            dir = "Reports"
            """.write(toFile: folder + "/confide.toml", atomically: true, encoding: .utf8)
        _ = try Initialiser.initialise(directory: folder)
        let configuration = try Configuration(path: folder + "/confide.toml")
        let today = Day.today(in: configuration.timeZone)
        _ = try PracticeSynthesizer.write(to: folder + "/exports", options: SynthOptions(clients: 200, weeks: 20, seed: 3, lastDay: today.adding(days: -1)))
        let week = ISOWeek.lastComplete(before: today)

        // Another session holds the ledger against writes (reads pass): the run computes the
        // week, stores its release and then waits to charge it, inside its transaction. Its
        // connection is killed there.
        let locker = try PostgresConnection(location)
        try locker.execute("BEGIN")
        try locker.execute("LOCK TABLE ledger IN EXCLUSIVE MODE")
        let run = BackgroundRun { try ScheduledRun.run(configuration, selection: .latest, logger: Logger(label: "test")) }
        // Watched from a third session: in the locker's transaction pg_stat_activity is one
        // snapshot, taken when it is first read.
        let watcher = try PostgresConnection(location)
        var waiting: Int?
        for _ in 0..<1200 where waiting == nil {
            waiting = try watcher.scalarInt("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND query LIKE '%INSERT INTO ledger%'
                """)
            if waiting == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(waiting != nil, "the run reached the ledger's insert")
        if let waiting { _ = try watcher.query("SELECT pg_terminate_backend($1)", [waiting]) }
        let failure = run.wait()
        try locker.execute("ROLLBACK")
        #expect((failure as? ConfideError)?.status == .tryLater, "a broken connection is exit 75: \(String(describing: failure))")
        let db = try PostgresConnection(location)
        #expect(try db.scalarInt("SELECT count(*) FROM releases") == 0, "no release kept")
        #expect(try db.scalarInt("SELECT count(*) FROM ledger") == 0, "nothing charged")
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") ?? 0 > 150, "the ingest before it committed")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports/\(week)/manifest.json"), "nothing published")

        // The re-run publishes the week and charges it once; a third run charges nothing more.
        let rerun = try ScheduledRun.run(configuration, selection: .latest, logger: Logger(label: "test"))
        #expect(rerun.weeks.map(\.status) == ["published"])
        #expect(rerun.weeks.first?.epsilonCharged ?? 0 > 0)
        let entries = try db.scalarInt("SELECT count(*) FROM ledger")
        #expect(try db.scalarInt("SELECT count(*) FROM ledger WHERE period = $1", [week.description]) == 1, "the week charged once")
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/\(week)/manifest.json"))
        let third = try ScheduledRun.run(configuration, selection: .latest, logger: Logger(label: "test"))
        #expect(third.weeks.map(\.epsilonCharged) == [0])
        #expect(try db.scalarInt("SELECT count(*) FROM ledger") == entries, "nothing charged again")
    }
}

extension PostgresRunTests {
    /// A purge and an erasure on a PostgreSQL store delete what they delete on SQLite: the same
    /// synthetic practice in both, the same reports, the same rows left, and a re-ingest that
    /// skips the forgotten client's and the expired referrals' rows alike.
    @Test func purgeAndForgetDeleteOnPostgreSQLWhatTheyDeleteOnSQLite() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpurge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/exports", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try PracticeSynthesizer.write(to: folder + "/exports", options: SynthOptions(clients: 150, weeks: 60, seed: 8, lastDay: Day(iso: "2026-06-28")!))
        var workspaces: [Workspace] = []
        for (name, store) in [("postgres", "url = \"\(location.url)\""), ("sqlite", "path = \"confide.sqlite\"")] {
            let practice = folder + "/" + name
            try FileManager.default.createDirectory(atPath: practice, withIntermediateDirectories: true)
            try "[practice]\nname = \"Riverside\"\n[source]\npath = \"../exports\"\n[store]\n\(store)\n[privacy]\nkey_file = \"../confide.key\"\n"
                .write(toFile: practice + "/confide.toml", atomically: true, encoding: .utf8)
            if name == "postgres" { _ = try Initialiser.initialise(directory: practice) }
            let workspace = try Workspace(configuration: try Configuration(path: practice + "/confide.toml"), logger: Logger(label: "test"))
            _ = try workspace.ingest()
            workspaces.append(workspace)
        }
        let (postgres, sqlite) = (workspaces[0], workspaces[1])
        let later = Day(iso: "2036-01-01")!
        #expect(try postgres.purge(dryRun: true, today: later) == sqlite.purge(dryRun: true, today: later))
        let purged = try postgres.purge(today: later)
        #expect(purged == (try sqlite.purge(today: later)))
        #expect(purged.referrals > 10 && purged.appointments > 10, "the purge deleted something: \(purged)")
        let referrals = try String(contentsOfFile: folder + "/exports/referrals.csv", encoding: .utf8).split(separator: "\n")
        let clients = referrals.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }
        let client = String(clients[clients.count / 2])
        let forgotten = try postgres.forget(clientID: client)
        #expect(forgotten == (try sqlite.forget(clientID: client)))
        #expect(forgotten.referrals > 0, "the client had referrals left: \(forgotten)")
        for table in ["referrals", "appointments", "measures", "expired", "forgotten"] {
            #expect(try postgres.store.fetchInt("SELECT count(*) FROM \(table)") == sqlite.store.fetchInt("SELECT count(*) FROM \(table)"), "\(table)")
        }
        #expect(try postgres.store.fetchString("SELECT value FROM meta WHERE key = 'erasure_pending'") == nil, "the erasure finished (VACUUM)")
        let again = try postgres.ingest()
        #expect(again == (try sqlite.ingest()), "the re-ingest skips the same rows")
        #expect(again.files.map(\.forgotten).reduce(0, +) > 0 && again.files.map(\.expired).reduce(0, +) > 0)
    }
}

/// A run on another thread, and the error it ended with (nil when it succeeded).
private final class BackgroundRun: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?

    init(_ body: @escaping @Sendable () throws -> RunSummary) {
        // A thread of its own: the test's thread polls the server meanwhile.
        let thread = Thread {
            do { _ = try body() } catch { self.failure = error }
            self.done.signal()
        }
        thread.start()
    }

    /// Waits for the run (at most a minute) and gives its error.
    func wait() -> Error? {
        _ = done.wait(timeout: .now() + 60)
        return failure
    }
}
