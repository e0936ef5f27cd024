import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The wall time and peak resident memory of a child process.
struct ChildRun {
    let seconds: Double
    let maxRSSKiB: Int
}

/// Runs `path arguments…` to completion (optionally feeding `stdin`), timing it and reading
/// its peak RSS from `wait4`'s resource usage.
func timed(_ path: String, _ arguments: [String], stdin: String?) throws -> ChildRun {
    var input: [Int32] = [-1, -1]
    if stdin != nil { guard pipe(&input) == 0 else { throw BenchError("pipe failed") } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin != nil {
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_addclose(&actions, input[1])
    }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = Date()
    let code = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard code == 0 else { throw BenchError("cannot start \(path): errno \(code)") }
    if let stdin {
        close(input[0])
        var bytes = Array(stdin.utf8)
        _ = bytes.withUnsafeMutableBytes { write(input[1], $0.baseAddress, $0.count) }
        close(input[1])
    }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(start)
    guard status == 0 else { throw BenchError("\(path) failed with status \(status)") }
    return ChildRun(seconds: seconds, maxRSSKiB: Int(usage.ru_maxrss))
}

/// A benchmark failure.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
