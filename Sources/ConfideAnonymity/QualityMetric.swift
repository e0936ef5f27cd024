#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The utility metric a search minimises; formulas as in ARX (docs/anonymize.md).
public enum QualityMetric: String, Sendable, CaseIterable {
    /// ARX `createLossMetric()`: generalised loss, gs-factor 0.5, geometric-mean aggregation.
    case loss
    /// ARX `createPrecomputedEntropyMetric(0.1, true)`: monotonic non-uniform entropy.
    case entropy
    /// ARX `createDiscernabilityMetric(false)`: Σ |E|² over kept classes + |S|·N.
    case dm

    /// Whether the value depends on the levels only (not on which records are suppressed), so
    /// that it is also its own lower bound over every generalisation.
    var isLevelOnly: Bool { self == .entropy }
}

/// ARX's loss aggregation: per QI `v = (agg − N/|dom|) / (N − N/|dom|)`, rounded down to a
/// multiple of 1e-10, and the total `Π(1 + vᵢ)^(1/n) − 1`.
enum LossFormula {
    /// The loss for `covered[j]` = Σ over records of the hierarchy rows covered by the record's
    /// generalised value (a suppressed record covering every row), over `records` records.
    static func loss(covered: [Int], hierarchyRows: [Int], records: Int) -> Double {
        var product = 1.0
        let n = Double(records)
        for (total, rows) in zip(covered, hierarchyRows) {
            let domain = Double(rows)
            let base = n / domain
            guard n - base > 0 else { continue }
            let aggregate = Double(total) / domain
            var share = (aggregate - base) / (n - base)
            share = (share * 1e10).rounded(.down) / 1e10
            product *= 1 + share
        }
        return pow(product, 1 / Double(covered.count)) - 1
    }
}
