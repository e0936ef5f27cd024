import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended: its wall time, peak resident memory and what it printed.
public struct ChildRun: Sendable {
    /// Wall seconds from spawn to exit.
    public let seconds: Double
    /// The child's peak resident set (`ru_maxrss` from `wait4`, KiB): the largest of the
    /// child and the descendants it waited for.
    public let maxRSSKiB: Int
    /// The raw `wait4` status (0: exited with code 0).
    public let status: Int32
    /// Standard output, when it was captured.
    public let output: String
    /// Standard error, when output was captured.
    public let errorOutput: String
    /// True when the child was killed for running past its time limit.
    public let timedOut: Bool

    /// The peak resident set in MiB.
    public var peakRSSMiB: Double { Double(maxRSSKiB) / 1024 }
}

/// Runs `path arguments…` to completion (optionally feeding `stdin`), timing it and reading
/// its peak RSS from `wait4`'s resource usage. Throws when it cannot start or exits non-zero.
public func timed(_ path: String, _ arguments: [String], stdin: String?) throws -> ChildRun {
    let run = try spawnChild(path, arguments, stdin: stdin)
    guard run.status == 0 else { throw BenchError("\(path) failed with status \(run.status)") }
    return run
}

/// Runs `path arguments…` and waits for it.
///
/// - Parameters:
///   - stdin: text written to its standard input (nil: inherits ours).
///   - captureOutput: collect its standard output and standard error (through temporary
///     files) instead of letting them through.
///   - timeLimit: seconds after which its whole process group is killed (nil: no limit).
///   - onTick: called about twice a second with the seconds since the start while the child
///     runs (a progress line); nil: not called.
/// - Returns: the run, whatever its exit status.
public func spawnChild(_ path: String, _ arguments: [String], stdin: String? = nil, captureOutput: Bool = false,
                       timeLimit: Double? = nil, onTick: ((Double) -> Void)? = nil) throws -> ChildRun {
    var input: [Int32] = [-1, -1]
    if stdin != nil { guard pipe(&input) == 0 else { throw BenchError("pipe failed") } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin != nil {
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_addclose(&actions, input[1])
    }
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent("confide-bench-\(UUID().uuidString)").path
    let outputPath = capture + ".out", errorPath = capture + ".err"
    if captureOutput {
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    }
    defer {
        if captureOutput {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
    }
    // With a time limit, its own process group, so that the limit ends the child and
    // everything it started (without one, it stays in ours and gets our Ctrl-C).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    if timeLimit != nil {
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
    }

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = Date()
    let code = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    guard code == 0 else {
        if stdin != nil { close(input[0]); close(input[1]) }
        throw BenchError("cannot start \(path): errno \(code)")
    }
    if let stdin {
        close(input[0])
        let bytes = Array(stdin.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(input[1], $0.baseAddress! + written, $0.count - written) }
            if n <= 0 { break }
            written += n
        }
        close(input[1])
    }
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = false
    if timeLimit != nil || onTick != nil {
        var lastTick = 0.0
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { throw BenchError("wait4 failed: errno \(errno)") }
            let elapsed = Date().timeIntervalSince(start)
            if let timeLimit, elapsed > timeLimit, !timedOut {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            if let onTick, elapsed - lastTick >= 0.5 {
                lastTick = elapsed
                onTick(elapsed)
            }
            usleep(20_000)
        }
    } else {
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
    }
    let seconds = Date().timeIntervalSince(start)
    func read(_ path: String) -> String {
        guard captureOutput, let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
    return ChildRun(seconds: seconds, maxRSSKiB: Int(usage.ru_maxrss), status: status, output: read(outputPath),
                    errorOutput: read(errorPath), timedOut: timedOut)
}

/// A benchmark failure.
public struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates a failure saying `description`.
    public init(_ description: String) { self.description = description }
}

extension ChildRun {
    /// Why the run failed, in one line (nil when it exited with code 0): the time limit, or
    /// the exit status and the last line it wrote to standard error.
    public var failure: String? {
        if timedOut { return String(format: "killed after %.0f s (time limit)", seconds) }
        guard status != 0 else { return nil }
        let exit = (status & 0x7f) == 0 ? "exit code \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
        let last = errorOutput.split(separator: "\n").last.map { ": " + $0 } ?? ""
        return exit + last
    }
}

/// The first executable called `name` on `PATH`, else nil.
public func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
