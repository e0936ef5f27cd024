import Foundation

/// Programs the end-to-end tests call besides confide (sqlite3, python3, chromium).
enum ExternalTool {
    /// The first of `names` found on `PATH`, as a full path.
    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// True when running in CI (`CI=true`), where a missing tool is a failure, not a skip.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// Runs `executable arguments…` (found on `PATH` when not absolute), feeding `input` to its
    /// standard input; kills it if it has not finished after `limit` seconds (a safety net for
    /// a hung browser, not a timing assertion).
    static func run(_ executable: String, _ arguments: [String], input: String? = nil, limit: TimeInterval = 120) throws -> Binary.Result {
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        // Output goes to files, so a chatty child never blocks on a full pipe.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("confide-tool-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        let stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try? out.close()
        try? err.close()
        let outData = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let errData = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return Binary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs one SQL statement with the `sqlite3` shell and returns its output, trimmed.
    static func sqlite(_ database: String, _ sql: String) throws -> String {
        try run("sqlite3", [database, sql]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
