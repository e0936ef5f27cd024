public import ConfideModel

/// A published measure: stable id, name, table and formula.
public struct Measure: Sendable, Equatable {
    /// The stable snake_case id used in every export.
    public let id: String
    /// A human name for reports.
    public let name: String
    /// The table it is published in.
    public let table: TableName
    /// How it is computed.
    public let formula: Formula
    /// For a count that a cheaper noisy cell also holds: the class of another histogram with
    /// the same total (the endings' total as one cell, not the sum of 16; the practice's weekly
    /// flows, three counts under one charge). In dp mode, for the groups that histogram is
    /// published by, the count is read from it, and the formula's own cells there are not
    /// drawn when nothing else reads them; everywhere else, and always in sdc mode (exact, so
    /// the count stays the sum of the cells secondary suppression sees), from the formula.
    public var noisyTotal: ClassSum? = nil

    /// True for percentages.
    public var isRate: Bool { if case .rate = formula { return true } else { return false } }
    /// True for means.
    public var isMean: Bool { if case .mean = formula { return true } else { return false } }
    /// True for medians.
    public var isMedian: Bool { if case .median = formula { return true } else { return false } }
}
