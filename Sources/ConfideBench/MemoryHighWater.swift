import Foundation

/// This process's resident-memory high-water mark (`VmHWM` in `/proc/self/status`), which
/// Linux lets a process reset (`5` into `/proc/self/clear_refs`) so that one process can
/// measure the peak of each stage it runs in turn.
public enum MemoryHighWater {
    /// Resets the high-water mark to the current resident set. Returns false when the system
    /// does not allow it (then the next reading covers the whole process so far).
    @discardableResult
    public static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// The high-water mark in MiB since the last reset (nil off Linux).
    public static func peakMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Double(String(line.filter(\.isNumber))).map { $0 / 1024 }
        }
        return nil
    }
}
