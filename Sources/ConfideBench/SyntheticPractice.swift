public import ConfideModel
import ConfideSynth
import Foundation

/// A synthetic practice of one size, cached under a work folder:
///
/// - `exports/`: the canonical export as `PracticeSynthesizer` writes it (seed 1, data up to
///   ``lastDay``), written once and reused by every later run of either benchmark;
/// - `base/`: the same practice as it stood one ISO week earlier (every row dated after
///   ``baseLastDay`` left out, and end dates after it blanked);
/// - `delta/`: what that last week added or changed, as a delta export (new referrals,
///   referrals that ended in the week, the week's appointments and scores);
/// - `base-changed/`: `base/` with 1% of the rows of each file changed (``ChangedExport``),
///   the weekly snapshot of a practice whose history changed a little.
public struct SyntheticPractice: Sendable {
    /// Clients in the practice.
    public let clients: Int
    /// The practice's folder under the work folder.
    public let folder: String

    /// The last day of the synthetic data: a Sunday, so the last ISO week is complete.
    public static let lastDay = Day(year: 2026, month: 11, day: 22)!

    /// The last day of the base export, one week before ``lastDay``.
    public static var baseLastDay: Day { lastDay.adding(days: -7) }

    /// The week the base export ends with (the week its stages publish).
    public static var baseWeek: ISOWeek { ISOWeek(containing: baseLastDay) }

    /// The week the delta adds (the week the weekly run publishes).
    public static var deltaWeek: ISOWeek { ISOWeek(containing: lastDay) }

    /// The practice of `clients` clients under `work`.
    public init(clients: Int, work: String) {
        self.clients = clients
        self.folder = work + "/practice-\(clients)"
    }

    /// The full export.
    public var exports: String { folder + "/exports" }
    /// The export one week before the end.
    public var base: String { folder + "/base" }
    /// The last week's delta export.
    public var delta: String { folder + "/delta" }
    /// The base export with one row in a hundred of each file changed (``ChangedExport``).
    public var changed: String { folder + "/base-changed" }

    /// Writes whatever of `exports/`, `base/` and `delta/` is missing. Returns true when it
    /// had to synthesise the practice.
    @discardableResult
    public func prepare() throws -> Bool {
        let files = FileManager.default
        var synthesised = false
        if !files.fileExists(atPath: exports + "/measures.csv") {
            try files.createDirectory(atPath: exports, withIntermediateDirectories: true)
            _ = try PracticeSynthesizer.write(to: exports, options: SynthOptions(clients: clients, seed: 1, lastDay: Self.lastDay))
            synthesised = true
        }
        if synthesised || !files.fileExists(atPath: delta + "/measures.csv") {
            try? files.removeItem(atPath: base)
            try? files.removeItem(atPath: delta)
            try WeekSplit(cutoff: Self.baseLastDay).split(exports: exports, base: base, delta: delta)
        }
        if synthesised || !files.fileExists(atPath: changed + "/measures.csv") {
            try? files.removeItem(atPath: changed)
            try ChangedExport(every: 100).write(base: base, to: changed)
        }
        return synthesised
    }
}

/// Data rows (lines after the header) of a CSV file without embedded newlines.
public func dataRows(_ path: String) throws -> Int {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot read \(path)") }
    defer { try? handle.close() }
    var lines = 0
    while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
        lines += data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }
    return max(0, lines - 1)
}

/// Data rows of the three canonical files of an export folder.
public func exportRows(_ folder: String) throws -> Int {
    try CanonicalFile.allCases.reduce(0) { $0 + (try dataRows(folder + "/" + $1.fileName)) }
}
