import Foundation

/// The built `confide` binary, run as a user would.
enum Binary {
    /// `CONFIDE_BIN` (an explicit choice, used as given), or the `confide` built beside this
    /// test bundle, refused when missing or stale (``built(_:)``).
    static var path: String {
        get throws {
            if let explicit = ProcessInfo.processInfo.environment["CONFIDE_BIN"] { return explicit }
            return try built("confide")
        }
    }

    /// The package's executable `name` from the build folder of this test bundle (the one
    /// `swift build` or `swift test` just built), never from anywhere else. Throws when it is
    /// missing or older than the newest file under `Sources/` that goes into it, rather than
    /// test a stale binary.
    static func built(_ name: String) throws -> String {
        let folder = try buildFolder()
        let path = folder.appendingPathComponent(name).path
        let modified = FileManager.default.isExecutableFile(atPath: path)
            ? (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date : nil
        let sources = sourceFolders(linkedInto: name, in: folder)
        if let refusal = refusal(path: path, built: modified, newestSource: newestModification(under: sources)) {
            throw Unusable(reason: refusal)
        }
        return path
    }

    /// Why the executable at `path`, modified at `built` (nil when missing), must not be run
    /// when the newest source that goes into it was modified at `newestSource`; nil when it may.
    static func refusal(path: String, built: Date?, newestSource: Date?) -> String? {
        guard let built else {
            return "\(path) is missing: run `swift build` (or set CONFIDE_BIN) before the end-to-end tests"
        }
        guard let newestSource, built < newestSource else { return nil }
        return "\(path) is older than the sources it is built from (built \(built), a source changed \(newestSource)): "
            + "run `swift build` before the end-to-end tests (if that does not relink it, the change left its objects "
            + "the same, as a touch or an edited comment can: `touch` the executable)"
    }

    /// The executable cannot be used.
    struct Unusable: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// The folder holding this test bundle (`….xctest`, a file on Linux, a folder on macOS):
    /// the build folder it was built into along with the executables.
    static func buildFolder() throws -> URL {
        let candidates = Bundle.allBundles.map(\.bundleURL) + [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()]
        for candidate in candidates {
            let components = candidate.standardizedFileURL.pathComponents
            if let bundle = components.lastIndex(where: { $0.hasSuffix(".xctest") }) {
                return URL(fileURLWithPath: NSString.path(withComponents: Array(components[..<bundle])))
            }
        }
        throw Unusable(reason: "cannot find the test bundle (\(CommandLine.arguments[0])) to find the built executables beside it; "
            + "run the tests with `swift test`, or set CONFIDE_BIN")
    }

    /// The folders under `Sources/` that go into executable `name`: the modules SwiftPM links
    /// into it (its `<name>.product/Objects.LinkFileList`, so that a change to a module it does
    /// not use, which `swift build` does not relink it for, does not count), and the folders
    /// that build no objects of their own (a system library's headers). Every folder when the
    /// list cannot be read.
    static func sourceFolders(linkedInto name: String, in buildFolder: URL) -> [URL] {
        let sources = URL(fileURLWithPath: repository).appendingPathComponent("Sources")
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []).sorted()
            .map { sources.appendingPathComponent($0) }
        let list = buildFolder.appendingPathComponent(name + ".product/Objects.LinkFileList")
        guard let text = try? String(contentsOf: list, encoding: .utf8) else { return folders }
        let linked = linkedModules(linkFileList: text)
        return folders.filter { folder in
            let module = folder.lastPathComponent.replacingOccurrences(of: "-", with: "_")
            let buildsObjects = FileManager.default.fileExists(atPath: buildFolder.appendingPathComponent(module + ".build").path)
            return linked.contains(module) || !buildsObjects
        }
    }

    /// The modules whose objects a SwiftPM link file list names (`…/<module>.build/<file>.o`).
    static func linkedModules(linkFileList text: String) -> Set<String> {
        Set(text.split(whereSeparator: \.isNewline).compactMap { line in
            line.split(separator: "/").last { $0.hasSuffix(".build") && $0 != ".build" }.map { String($0.dropLast(".build".count)) }
        })
    }

    /// The latest modification time of a file under `folders`; nil when there is none.
    static func newestModification(under folders: [URL]) -> Date? {
        var newest: Date?
        for folder in folders {
            for relative in FileManager.default.subpaths(atPath: folder.path) ?? [] {
                let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(relative).path)
                guard attributes?[.type] as? FileAttributeType == .typeRegular,
                      let date = attributes?[.modificationDate] as? Date else { continue }
                if newest.map({ date > $0 }) ?? true { newest = date }
            }
        }
        return newest
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
        process.executableURL = URL(fileURLWithPath: try path)
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
