#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on standard error for a large input, redrawn at most twice a second:
/// the file's label, the share of its bytes read and the rows so far. Never a value.
/// Shown only when standard error is a terminal.
final class ProgressLine {
    private let label: String
    private let totalBytes: Int
    private var lastDraw: Double = 0
    private var drawn = false

    /// A progress line for `label`, or nil when standard error is not a terminal or the input
    /// is smaller than `threshold` bytes.
    init?(label: String, totalBytes: Int, threshold: Int = 16 << 20) {
        guard isatty(2) == 1, totalBytes >= threshold else { return nil }
        self.label = label
        self.totalBytes = max(totalBytes, 1)
        lastDraw = Self.now()
    }

    /// Redraws the line when half a second has passed.
    func update(bytes: Int, rows: Int) {
        let now = Self.now()
        guard now - lastDraw >= 0.5 else { return }
        lastDraw = now
        let percent = min(100, bytes * 100 / totalBytes)
        draw("\rconfide: reading \(label): \(percent)% (\(rows) rows)")
    }

    /// Ends the line.
    func finish(rows: Int) {
        guard drawn else { return }
        draw("\rconfide: reading \(label): 100% (\(rows) rows)\n")
    }

    /// The size of the file at `path`, or 0.
    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    private func draw(_ text: String) {
        drawn = true
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
