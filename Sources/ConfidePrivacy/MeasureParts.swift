import ConfideModel
import ConfideMetrics

extension Measure {
    /// The class sums a figure reveals: a count its sum, a rate its numerator and denominator,
    /// a mean its sum and count. Treating a rate or a mean as revealing both parts exactly is
    /// conservative: it reveals only their ratio.
    var parts: [ClassSum] {
        switch formula {
        case .count(let histogram, let classes): [ClassSum(histogram, classes)]
        case .rate(let numerator, let denominator): [numerator, denominator]
        case .mean(let sum, let count): [sum, count]
        case .median(let ordered): [ordered]
        }
    }

    /// The class sums a dp release reads for this figure in `groupType`: a count's noisy total
    /// when that histogram is published there (see ``Measure/noisyTotal``), else ``parts``.
    func dpParts(for groupType: GroupType) -> [ClassSum] {
        if let total = noisyTotal, Catalogue.histogram(total.histogram)?.isPublished(by: groupType) == true { return [total] }
        return parts
    }

    /// True when the measure is published for `groupType`: every histogram it reads has cells there.
    func isPublished(by groupType: GroupType) -> Bool {
        parts.allSatisfy { Catalogue.histogram($0.histogram)?.isPublished(by: groupType) ?? false }
    }

    /// True when a dp release of this measure for `groupType` reads cells of `histogram`: the
    /// test for a budget slot to be drawn and charged (``Protector/dpSlots(_:)``).
    func readsInDP(_ histogram: String, by groupType: GroupType) -> Bool {
        isPublished(by: groupType) && dpParts(for: groupType).contains { $0.histogram == histogram }
    }
}
