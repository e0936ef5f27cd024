import ConfidePostgres
import Foundation
import Testing

/// `[store] url` from the command line, as an operator meets it: the built `confide` run in a
/// child process.
@Suite("PostgreSQL store from the command line", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresCommandLineTests {
    /// The `confide` built beside this test bundle (`swift test` builds it first).
    private func confide(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle
        while !folder.lastPathComponent.hasSuffix(".xctest"), folder.pathComponents.count > 1 { folder.deleteLastPathComponent() }
        let binary = folder.deletingLastPathComponent().appendingPathComponent("confide").path
        #expect(FileManager.default.isExecutableFile(atPath: binary), "confide is built beside the tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func initIngestAndTheWeeklyRunOnPostgreSQLPublishWhatSQLitePublishes() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgcli-\(UUID().uuidString)").path
        let initialised = try confide(["init", folder, "--store-url", location.url])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.contains("created the confide store in PostgreSQL \(location.description)"))
        let again = try confide(["init", folder])
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept the existing confide store"))

        // The same synthetic practice, under the same key, into an SQLite store beside it.
        let sqlite = folder + "-sqlite"
        defer { for practice in [folder, sqlite] { try? FileManager.default.removeItem(atPath: practice) } }
        #expect(try confide(["init", sqlite]).status == 0)
        try FileManager.default.removeItem(atPath: sqlite + "/confide.key")
        try FileManager.default.copyItem(atPath: folder + "/confide.key", toPath: sqlite + "/confide.key")
        for practice in [folder, sqlite] {
            let synth = try confide(["synth", "--out", practice + "/exports", "--clients", "300", "--weeks", "30", "--seed", "5", "--force"])
            #expect(synth.status == 0, "\(synth.stderr)")
        }
        for round in 1...2 {
            let onPostgres = try confide(["ingest", "--json", "--config", folder + "/confide.toml"])
            let onSQLite = try confide(["ingest", "--json", "--config", sqlite + "/confide.toml"])
            #expect(onPostgres.status == 0, "round \(round): \(onPostgres.stderr)")
            #expect(onPostgres.stdout == onSQLite.stdout, "round \(round): the reconciliations differ")
            #expect(onPostgres.stdout.contains("\"inserted\" : \(round == 1 ? "" : "0")"), "round \(round): \(onPostgres.stdout.prefix(400))")
        }
        // What an operator reads after an ingest: the same quarantine, the same run log.
        let quarantine = try confide(["quarantine", "--json", "--config", folder + "/confide.toml"])
        #expect(quarantine.status == 0, "\(quarantine.stderr)")
        #expect(quarantine.stdout == (try confide(["quarantine", "--json", "--config", sqlite + "/confide.toml"])).stdout)
        let runs = try confide(["runs", "--config", folder + "/confide.toml"])
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout.split(separator: "\n").count == 2 && runs.stdout.contains("ingest - ok (exit 0) ingest #2: read"), "\(runs.stdout)")
        let db = try PostgresConnection(location)
        #expect(try db.scalarInt("SELECT count(*) FROM runs WHERE command = 'ingest' AND outcome = 'ok'") == 2, "the run log records both")
        #expect(try db.scalarInt("SELECT count(*) FROM referrals") ?? 0 > 250)

        // The weekly run on both, under disclosure control (exact): the same published files.
        for practice in [folder, sqlite] {
            let path = practice + "/confide.toml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try (text.replacingOccurrences(of: "mode = \"dp\"", with: "mode = \"sdc\"") + "\n[supervision]\ncase_lists = true\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        for arguments in [["run", "--backfill", Self.weeksAgo(6)], ["run"]] {
            let onPostgres = try confide(arguments + ["--config", folder + "/confide.toml"])
            let onSQLite = try confide(arguments + ["--config", sqlite + "/confide.toml"])
            #expect(onPostgres.status == 0, "\(arguments): \(onPostgres.stderr)")
            #expect(onSQLite.status == 0, "\(arguments): \(onSQLite.stderr)")
        }
        let published = try Self.files(under: folder + "/Reports"), expected = try Self.files(under: sqlite + "/Reports")
        #expect(published.keys.sorted() == expected.keys.sorted(), "the same files")
        #expect(published.keys.contains(where: { $0.contains("/supervision/") }), "a supervision period was published")
        let caseLists = expected.filter { $0.key.hasSuffix("-cases.csv") }
        #expect(!caseLists.isEmpty, "case lists were published")
        for (name, bytes) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(Self.comparable(published[name] ?? Data(), name) == Self.comparable(bytes, name), "\(name) differs")
        }
        let budget = try confide(["budget", "--config", folder + "/confide.toml"])
        #expect(budget.status == 0, "\(budget.stderr)")
        let purge = try confide(["purge", "--dry-run", "--json", "--config", folder + "/confide.toml"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout == (try confide(["purge", "--dry-run", "--json", "--config", sqlite + "/confide.toml"])).stdout)
        // A code of a published case list (the first field of a data row) looked up on both.
        let code = caseLists.values.lazy.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").dropFirst() }
            .compactMap { $0.split(separator: ",").first.map(String.init) }.first
        #expect(code != nil, "a case list with a row")
        for wanted in [code ?? "", "no-such-code"] {
            let onPostgres = try confide(["case", wanted, "--config", folder + "/confide.toml"])
            let onSQLite = try confide(["case", wanted, "--config", sqlite + "/confide.toml"])
            #expect(onPostgres.status == onSQLite.status && onPostgres.stdout == onSQLite.stdout, "case \(wanted): \(onPostgres.stderr)")
            #expect(onPostgres.status == (wanted == code ? 0 : 66), "case \(wanted): \(onPostgres.stderr)")
        }
    }

    /// The ISO week `weeks` before the latest complete one.
    private static func weeksAgo(_ weeks: Int) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let day = calendar.date(byAdding: .day, value: -7 * (weeks + 1), to: Date())!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: day)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
    }

    /// Every file under `root`, by its path below it.
    private static func files(under root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: root)! {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder), !isFolder.boolValue {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
            }
        }
        return files
    }

    /// A published file as the two stores' runs should agree on it: a manifest without the
    /// lines that name when it was made and which configuration file (the stores' differ in
    /// `[store]`), everything else as it is.
    private static func comparable(_ bytes: Data, _ name: String) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard name.hasSuffix("manifest.json") else { return text }
        return text.split(separator: "\n").filter { !$0.contains("\"created\"") && !$0.contains("configuration_sha256") }.joined(separator: "\n")
    }

    @Test func aPasswordGivenOnTheCommandLineIsRefusedAndNotRepeated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgcli-\(UUID().uuidString)").path
        let result = try confide(["init", folder, "--store-url", "postgresql://confide:cli-secret-8812@127.0.0.1:5432/riverside"])
        #expect(result.status == 64)
        #expect(!result.stderr.contains("cli-secret-8812") && !result.stdout.contains("cli-secret-8812"))
        #expect(result.stderr.contains("PGPASSFILE"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/confide.toml"), "nothing written")
    }
}
