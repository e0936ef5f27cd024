/// Why no transformation meets the model, and what would make one: the smallest suppression
/// limit that works at this k (and l), and the largest k that works at this limit.
public struct NoSolution: Sendable, Equatable {
    /// The fewest records any transformation must suppress at this k (and l).
    public let smallestSuppressedRecords: Int
    /// The smallest suppression limit (a fraction, rounded up to 4 decimals) that admits a
    /// transformation at this k; nil when even suppressing every failing record is not enough.
    public let smallestSuppression: Double
    /// The largest k for which the most general transformation meets the model within this
    /// limit; nil when none does (l-diversity fails whatever k is).
    public let largestK: Int?

    /// Computes the hints. `smallestSuppressed` is the minimum over every transformation (the
    /// search visits every one when it finds none).
    static func explain(problem: AnonymizationProblem, smallestSuppressed: Int) -> NoSolution {
        let records = problem.recordCount
        var fraction = (Double(smallestSuppressed) / Double(records) * 10_000).rounded(.up) / 10_000
        while Int((fraction * Double(records) + 1e-9).rounded(.down)) < smallestSuppressed { fraction += 0.0001 }
        return NoSolution(smallestSuppressedRecords: smallestSuppressed, smallestSuppression: min(fraction, 1),
                          largestK: largestK(problem: problem))
    }

    /// The largest k the top of the lattice meets within the limit. k-anonymity and distinct
    /// l-diversity are monotonic under generalisation, so no other transformation does better.
    static func largestK(problem: AnonymizationProblem) -> Int? {
        let top = problem.quasiIdentifiers.map(\.maxLevel)
        let classes = AppliedTransformation.classes(problem: problem, levels: top)
        let allowance = problem.model.suppressionAllowance(records: problem.recordCount)
        var alwaysSuppressed = 0
        var sizes: [Int] = []
        for index in 0..<classes.sizes.count {
            if classes.diverse[index] { sizes.append(classes.sizes[index]) } else { alwaysSuppressed += classes.sizes[index] }
        }
        guard alwaysSuppressed <= allowance else { return nil }
        sizes.sort()
        var suppressed = alwaysSuppressed
        for size in sizes {
            if suppressed + size > allowance { return size }
            suppressed += size
        }
        return problem.recordCount
    }
}
