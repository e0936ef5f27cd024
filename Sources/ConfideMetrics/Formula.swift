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
