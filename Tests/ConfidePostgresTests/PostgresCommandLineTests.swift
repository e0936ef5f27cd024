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

    @Test func initCreatesTheStoreIngestLoadsItAsSQLiteAndTheRunSaysWhatThisVersionCannotDo() throws {
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

        for command in [["run"], ["budget"]] {
            let result = try confide(command + ["--config", folder + "/confide.toml"])
            #expect(result.status == 78, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot yet run on it"), "\(command): \(result.stderr)")
        }
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
