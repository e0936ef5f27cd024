import ConfidePostgres
import Foundation

/// The PostgreSQL servers the tests use: those `.ci/run` started (their URLs, space-separated,
/// in `CONFIDE_TEST_POSTGRES_URLS`, with `PGPASSFILE` naming their password file), or else
/// servers this test process starts on loopback with `.ci/postgres-servers` (stopped when the
/// process ends). Nil when PostgreSQL is not installed: the tests that need it are then
/// skipped, except under `CI=true`, where they fail.
enum PostgresTestServer {
    /// The first server's URL (with `passfile=` so that no environment is needed), or nil.
    static var url: String? { urls.first }

    /// Every server's URL, or empty when none could be had.
    static let urls: [String] = start()

    /// True in CI: a test that needs PostgreSQL fails, rather than skips, without it.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Run the test: servers were given or can be started here, or CI requires them (and the
    /// test fails without them). Starts nothing: the servers start when a test first asks.
    static let runs: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["CONFIDE_TEST_POSTGRES_URLS"], !given.isEmpty { return true }
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        } ?? false
        return installed || required
    }()

    /// The password file the servers' URLs use.
    static private(set) nonisolated(unsafe) var passwordFile: String = ""

    /// A new database on the first server, dropped by nobody: each test gets its own.
    static func freshDatabase() throws -> PostgresLocation {
        let server = try PostgresConnection(PostgresLocation(url: try requireServer()))
        let name = "t_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try server.execute("CREATE DATABASE \(name)")
        return try PostgresLocation(url: url(database: name))
    }

    /// The URL of `database` on the first server (or server `index`), as `user` (its password
    /// in `file`, the servers' password file unless given).
    static func url(database: String, server index: Int = 0, user: String = "confide", passwordFile file: String? = nil) -> String {
        "postgresql://\(user)@\(address(of: urls[index]))/\(database)?passfile=\(file ?? passwordFile)"
    }

    /// `HOST:PORT` of a server's URL.
    static func address(of url: String) -> String {
        url.components(separatedBy: "@")[1].components(separatedBy: "/")[0]
    }

    /// A new password file (mode 0600, as libpq requires) giving `password` to `user` on any
    /// server.
    static func passwordFile(user: String, password: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try "*:*:*:\(user):\(password)\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        return file
    }

    private static func start() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["CONFIDE_TEST_POSTGRES_URLS"], !given.isEmpty, let file = environment["PGPASSFILE"] {
            passwordFile = file
            return given.split(separator: " ").map { "\($0)?passfile=\(file)" }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-pg-\(UUID().uuidString)").path
        // posix_spawn and waitpid, not Foundation's Process: its wait never returned here, the
        // script leaving a watcher and the servers running behind it.
        let script = root.appendingPathComponent(".ci/postgres-servers").path
        let listing = folder + ".urls"
        let command = "'\(script)' start '\(folder)' 3 --owner-pid \(getpid()) > '\(listing)' 2> '\(folder).log'"
        var pid: pid_t = 0
        let arguments = ["/bin/bash", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ) == 0 else { return [] }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let data = FileManager.default.contents(atPath: listing)
        try? FileManager.default.removeItem(atPath: listing)
        try? FileManager.default.removeItem(atPath: folder + ".log")
        guard status == 0, let data else { return [] }
        passwordFile = folder + "/pgpass"
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { "\($0)?passfile=\(passwordFile)" }
    }
}

/// The first server's URL, or an error saying why there is none (CI only reaches here).
func requireServer() throws -> String {
    guard let url = PostgresTestServer.url else { throw MissingServer() }
    return url
}

struct MissingServer: Error, CustomStringConvertible {
    var description: String { "no PostgreSQL server: CI=true but .ci/postgres-servers could not start one (apt-get install postgresql)" }
}
