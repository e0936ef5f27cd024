/// The optimal full-domain generalisation: every transformation of the lattice that a bound
/// cannot rule out is evaluated, and the best one under the metric that meets the model within
/// the suppression limit is kept.
///
/// The lattice is walked depth-first along a spanning tree (a node's parent is the node with
/// its last non-zero level lowered by one, columns taken from the most to the fewest distinct
/// values), so each node's classes are rolled up from its
/// parent's by regrouping one column, and only one histogram per depth is held. A subtree is
/// skipped when a lower bound of the metric over it is worse than the best found: the entropy
/// itself (it depends on the levels only), for loss the loss with no record suppressed, for dm
/// the node's Σ|E|² over all classes (no generalisation has a smaller dm).
///
/// Ties (metric values within 1e-12 relative) go to the transformation with the smaller sum of
/// levels, then to the lexicographically smaller level vector (header order).
public enum LatticeSearch {
    /// Searches `problem`'s lattice.
    public static func run(_ problem: AnonymizationProblem) -> SearchOutcome {
        let walk = LatticeWalk(problem: problem)
        walk.start()
        if let best = walk.best {
            return .found(Solution(levels: best.levels, statistics: best.statistics, metricValue: best.value,
                                   evaluated: walk.evaluated))
        }
        return .none(NoSolution.explain(problem: problem, smallestSuppressed: walk.smallestSuppressed))
    }
}

/// The result of a search.
public enum SearchOutcome: Sendable {
    /// The optimal transformation.
    case found(Solution)
    /// No transformation meets the model within the suppression limit.
    case none(NoSolution)
}

/// The optimal transformation and what it does.
public struct Solution: Sendable, Equatable {
    /// The generalisation level of each quasi-identifier, in header order.
    public let levels: [Int]
    /// Suppressed records, kept classes and the metric's parts.
    public let statistics: ClassStatistics
    /// The metric's value.
    public let metricValue: Double
    /// How many transformations were evaluated (the rest were ruled out by a bound).
    public let evaluated: Int
}

/// The depth-first walk; one per search.
final class LatticeWalk {
    let problem: AnonymizationProblem
    private let counter: ClassCounter
    private let table = GroupingTable()
    private var histograms: [ClassHistogram] = []
    private var levels: [Int]
    private let maxLevels: [Int]
    /// The order of the columns along the spanning tree (see ``init(problem:)``).
    private let order: [Int]
    private let allowance: Int
    private(set) var best: (value: Double, levels: [Int], statistics: ClassStatistics)?
    private(set) var evaluated = 0
    private(set) var smallestSuppressed = Int.max

    init(problem: AnonymizationProblem) {
        self.problem = problem
        counter = ClassCounter(problem: problem)
        levels = [Int](repeating: 0, count: problem.quasiIdentifiers.count)
        maxLevels = problem.quasiIdentifiers.map(\.maxLevel)
        // A node is rolled up from the node with its last column (in this order) one level
        // lower. Columns with the most distinct values come first, so that a roll-up mostly
        // generalises a column with few values, from a parent with about as many classes as the
        // node itself, rather than from a far larger one.
        order = problem.quasiIdentifiers.indices.sorted {
            (problem.quasiIdentifiers[$0].distinctValues, $1) > (problem.quasiIdentifiers[$1].distinctValues, $0)
        }
        allowance = problem.model.suppressionAllowance(records: problem.recordCount)
    }

    func start() {
        let keys = problem.keys(levels: levels)
        let bottom = histogram(depth: 0, capacity: keys.count)
        table.group(keys, into: bottom)
        guard !ruledOut(problem.levelBound(levels)) else { return }
        if consider(bottom) { visit(depth: 0, firstPosition: 0) }
    }

    private func histogram(depth: Int, capacity: Int) -> ClassHistogram {
        if depth == histograms.count { histograms.append(ClassHistogram(capacity: capacity)) }
        return histograms[depth]
    }

    private func visit(depth: Int, firstPosition: Int) {
        let parent = histograms[depth]
        for position in firstPosition..<order.count where levels[order[position]] < maxLevels[order[position]] {
            let column = order[position]
            levels[column] += 1
            defer { levels[column] -= 1 }
            if ruledOut(problem.levelBound(levels)) { continue }
            let child = histogram(depth: depth + 1, capacity: histograms[0].count)
            rollUp(parent, into: child, column: column, from: levels[column] - 1)
            if consider(child) { visit(depth: depth + 1, firstPosition: position) }
        }
    }

    /// Regroups `parent`'s classes with `column` one level up.
    private func rollUp(_ parent: ClassHistogram, into child: ClassHistogram, column: Int, from level: Int) {
        let quasiIdentifier = problem.quasiIdentifiers[column]
        let shift = UInt64(problem.offsets[column])
        let mask = (UInt64(1) << UInt64(quasiIdentifier.bits)) &- 1
        quasiIdentifier.up[level].withUnsafeBufferPointer { up in
            table.rollUp(parent, into: child, shift: shift, mask: mask, up: up)
        }
    }

    /// Evaluates the node at ``levels``; true when its generalisations may still hold a better one.
    private func consider(_ histogram: ClassHistogram) -> Bool {
        evaluated += 1
        var statistics = counter.statistics(histogram, levels: levels, withCovered: problem.metric == .loss)
        smallestSuppressed = min(smallestSuppressed, statistics.suppressed)
        if statistics.suppressed <= allowance {
            let value = statistics.value(of: problem.metric, levels: levels, problem: problem)
            if isBetter(value) {
                statistics.suppressedCovered = []
                best = (value, levels, statistics)
            }
        }
        if problem.metric == .dm { return !ruledOut(Double(statistics.allSquares)) }
        return true
    }

    private func tolerance(_ value: Double) -> Double { abs(value) * 1e-12 }

    /// Whether a lower bound shows that nothing it bounds can beat or tie the best found.
    private func ruledOut(_ bound: Double) -> Bool {
        guard let best else { return false }
        return bound > best.value + tolerance(best.value)
    }

    private func isBetter(_ value: Double) -> Bool {
        guard let best else { return true }
        let slack = tolerance(best.value)
        if value < best.value - slack { return true }
        if value > best.value + slack { return false }
        let sum = levels.reduce(0, +), bestSum = best.levels.reduce(0, +)
        if sum != bestSum { return sum < bestSum }
        return levels.lexicographicallyPrecedes(best.levels)
    }
}
