import ConfideBench
import ConfidePostgres
import Foundation

/// The PostgreSQL server of `confide-bench --store postgres`: the one `--store-url` names, or
/// one started on loopback for the run by `.ci/postgres-servers` (fsync on, as a real server),
/// stopped when the run ends. Each practice size gets a database of its own, made afresh.
final class BenchServer {
    /// The server's URL (its database is where new databases are made from).
    let location: PostgresLocation
    /// The folder of the server this run started (nil: a server it was given).
    private let startedIn: String?
    private let script: String

    /// Uses the server of `url`, or starts one under `work` with `script` (`.ci/postgres-servers`).
    init(url: String?, work: String, script: String) throws {
        self.script = script
        if let url {
            location = try PostgresLocation(url: url)
            startedIn = nil
            return
        }
        let folder = URL(fileURLWithPath: work).standardizedFileURL.path + "/postgres-server"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        setenv("CONFIDE_PG_FSYNC", "on", 1)
        let run = try spawnChild("/bin/bash", [script, "start", folder, "1"], captureOutput: true)
        guard run.status == 0, let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("postgresql://") }) else {
            throw BenchError("\(script) start failed: \(run.failure ?? run.output)")
        }
        // The children (confide's stages) find the password where the script wrote it.
        setenv("PGPASSFILE", folder + "/pgpass", 1)
        location = try PostgresLocation(url: String(line))
        startedIn = folder
    }

    /// Stops the server this run started.
    func stop() {
        guard let startedIn else { return }
        _ = try? spawnChild("/bin/bash", [script, "stop", startedIn], captureOutput: true)
        try? FileManager.default.removeItem(atPath: startedIn)
    }

    /// A new, empty database `name` on the server (dropped first if a run left one).
    func freshDatabase(_ name: String) throws -> PostgresLocation {
        let admin = try PostgresConnection(location)
        try admin.execute("DROP DATABASE IF EXISTS \(name)")
        try admin.execute("CREATE DATABASE \(name)")
        return try PostgresLocation(url: "postgresql://\(location.user ?? "postgres")@\(location.host ?? "127.0.0.1"):\(location.port ?? "5432")/\(name)")
    }
}
