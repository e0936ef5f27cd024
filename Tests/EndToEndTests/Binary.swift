import Foundation

/// The built `confide` binary, run as a user would.
enum Binary {
    /// `CONFIDE_BIN`, or the `confide` built beside this test bundle.
    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["CONFIDE_BIN"] { return explicit }
        return built("confide")
    }

    /// The package's executable `name`, built beside this test bundle.
    static func built(_ name: String) -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repository + "/.build/debug/" + name
    }

    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `confide arguments…` in `directory` and waits.
    @discardableResult
    static func run(_ arguments: [String], in directory: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A practice ready to run in a new folder: `confide init`, then `confide synth` of
    /// `clients` clients over the 20 weeks to 2026-06-28 with 3 therapists; nothing ingested or
    /// published.
    static func practice(clients: Int, seed: Int) throws -> String {
        let folder = temporaryFolder()
        let initialised = try run(["init", folder], in: folder)
        guard initialised.status == 0 else { throw PracticeSetupFailed(step: "init", stderr: initialised.stderr) }
        let synth = try run(["synth", "--out", folder + "/exports", "--clients", String(clients), "--seed", String(seed),
                             "--weeks", "20", "--last-day", "2026-06-28", "--therapists", "3"], in: folder)
        guard synth.status == 0 else { throw PracticeSetupFailed(step: "synth", stderr: synth.stderr) }
        return folder
    }

    /// `init` or `synth` failed while a test set up its practice.
    struct PracticeSetupFailed: Error {
        let step: String
        let stderr: String
    }

    static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-e2e-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every regular file under `path`, with its bytes.
    static func files(under path: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for relative in FileManager.default.subpaths(atPath: path) ?? [] {
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &dir), !dir.boolValue,
               let data = FileManager.default.contents(atPath: path + "/" + relative) {
                result[relative] = data
            }
        }
        return result
    }
}
