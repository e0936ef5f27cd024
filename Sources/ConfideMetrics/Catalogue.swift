/// A partition of what one client contributes: each contribution falls in exactly one class
/// (an appointment is attended or missed, never both), so the whole histogram is bounded
/// jointly per client and charged once. Published measures are sums of classes.
public struct Histogram: Sendable, Equatable {
    /// The stable id, also the budget group.
    public let id: String
    /// The table its measures belong to.
    public let table: TableName
    /// The classes, in order.
    public let classes: [String]
    /// The most one client adds in total to one group's classes (larger totals are clamped).
    public let cap: Int
    /// True when its contributions carry an appointment (therapist, modality, delivery):
    /// a referral just received has none, so it is not broken down by them.
    public var hasContact: Bool { id != "referrals_received" }
    /// Weeks summed for publication: 1 for weekly figures, 13 for the outcome window (built
    /// from weekly releases by post-processing, never by a fresh draw over overlapping data).
    public let windowWeeks: Int
    /// The breakdowns it is published by, when fewer than its table's (nil: all of them).
    public var onlyBreakdowns: Set<GroupType>? = nil

    /// True when the histogram has cells for `groupType`: contact breakdowns (therapist,
    /// modality, delivery) need a contact, and ``onlyBreakdowns`` narrows the rest.
    public func isPublished(by groupType: GroupType) -> Bool {
        if !hasContact && [.therapist, .modality, .delivery].contains(groupType) { return false }
        return onlyBreakdowns?.contains(groupType) ?? true
    }
}

/// How a published measure is computed from histogram classes.
public enum Formula: Sendable, Equatable {
    /// The sum of `classes` of `histogram`.
    case count(histogram: String, classes: [String])
    /// 100 × numerator / denominator, each a sum of classes.
    case rate(numerator: ClassSum, denominator: ClassSum)
    /// sum / count, each a sum of classes.
    case mean(sum: ClassSum, count: ClassSum)
    /// The middle value of an ordered histogram whose classes are numbers (`"3"`; a class
    /// `"20_plus"` counts as 20): the smallest class whose running total reaches half the total
    /// (for an even count, the lower of the two middle values).
    case median(ClassSum)
}

/// A sum of some classes of one histogram.
public struct ClassSum: Sendable, Equatable {
    /// The histogram.
    public let histogram: String
    /// The classes summed.
    public let classes: [String]

    /// Creates a sum.
    public init(_ histogram: String, _ classes: [String]) {
        self.histogram = histogram
        self.classes = classes
    }
}

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
