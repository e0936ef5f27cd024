import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The progress line of a bench stage running in its child process, on standard error when it
/// is a terminal and once the stage has run two seconds: elapsed time, and, once a smaller
/// practice has measured the same stage, the rows per second expected from that run and an eta
/// scaled by the rows (the child cannot report its own progress without disturbing its timing).
public struct StageTicker: Sendable {
    /// The line's prefix, e.g. `100000 clients: ingest`.
    public let label: String
    /// The rows the stage processes.
    public let rows: Int
    /// The rows per second this stage reached on the previous (smaller) size, if any.
    public let expectedRate: Double?
    /// Whether to draw at all (by default: standard error is a terminal).
    public let isEnabled: Bool

    /// A ticker for `label` over `rows` rows; `expectedRate` from an earlier size; drawn when
    /// `isEnabled` (nil: when standard error is a terminal).
    public init(label: String, rows: Int, expectedRate: Double?, isEnabled: Bool? = nil) {
        self.label = label
        self.rows = rows
        self.expectedRate = expectedRate
        self.isEnabled = isEnabled ?? (isatty(2) == 1)
    }

    /// The line after `elapsed` seconds (nil before two seconds).
    public func line(elapsed: Double) -> String? {
        guard elapsed >= 2 else { return nil }
        var text = "confide-bench: \(label): \(Int(elapsed)) s"
        if let rate = expectedRate, rate > 0 {
            let remaining = max(0, Double(rows) / rate - elapsed)
            text += String(format: ", about %.0f rows/s expected, eta %.0f s", rate, remaining)
        }
        return text
    }

    /// Draws the line for `elapsed` seconds over the previous one.
    public func tick(_ elapsed: Double) {
        guard isEnabled, let text = line(elapsed: elapsed) else { return }
        FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
    }

    /// Clears the line before the stage's result is printed.
    public func clear(after elapsed: Double) {
        guard isEnabled, elapsed >= 2 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
