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

    @Test func initCreatesTheStoreAndEveryOtherCommandSaysWhatThisVersionCannotDo() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgcli-\(UUID().uuidString)").path
        let initialised = try confide(["init", folder, "--store-url", location.url])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.contains("created the confide store in PostgreSQL \(location.description)"))
        let again = try confide(["init", folder])
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept the existing confide store"))
        for command in [["ingest"], ["run"], ["budget"]] {
            let result = try confide(command + ["--config", folder + "/confide.toml"])
            #expect(result.status == 78, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot yet ingest into it or run on it"), "\(command): \(result.stderr)")
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
