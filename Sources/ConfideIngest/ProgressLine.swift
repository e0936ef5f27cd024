#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on standard error for a file that takes more than two seconds to read,
/// redrawn at most twice a second: the file's label, the share of its bytes read, the rows so
/// far, rows per second and an eta from the bytes left. Never a value. Shown only when
/// standard error is a terminal.
final class ProgressLine {
    private let label: String
    private let totalBytes: Int
    private let start: Double
    private var lastDraw: Double = 0
    private var drawn = false

    /// A progress line for `label`, or nil when standard error is not a terminal or the input
    /// is smaller than `threshold` bytes.
    init?(label: String, totalBytes: Int, threshold: Int = 1 << 20) {
        guard isatty(2) == 1, totalBytes >= threshold else { return nil }
        self.label = label
        self.totalBytes = max(totalBytes, 1)
        start = Self.now()
        lastDraw = start
    }

    /// Redraws the line when half a second has passed, once the file has taken two seconds.
    func update(bytes: Int, rows: Int) {
        let now = Self.now()
        guard now - lastDraw >= 0.5, now - start >= 2 else { return }
        lastDraw = now
        draw("\r" + Self.text(label: label, bytes: bytes, totalBytes: totalBytes, rows: rows, elapsed: now - start) + "\u{1B}[K")
    }

    /// The line's text: `confide: reading LABEL: P% (N rows, R rows/s, eta S s)`.
    static func text(label: String, bytes: Int, totalBytes: Int, rows: Int, elapsed: Double) -> String {
        let percent = min(100, bytes * 100 / max(totalBytes, 1))
        let rate = Int(Double(rows) / max(elapsed, 1e-9))
        let eta = bytes > 0 ? max(0, elapsed * Double(totalBytes - bytes) / Double(bytes)) : 0
        return "confide: reading \(label): \(percent)% (\(rows) rows, \(rate) rows/s, eta \(Int(eta.rounded())) s)"
    }

    /// Ends the line.
    func finish(rows: Int) {
        guard drawn else { return }
        draw("\rconfide: reading \(label): 100% (\(rows) rows)\u{1B}[K\n")
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
