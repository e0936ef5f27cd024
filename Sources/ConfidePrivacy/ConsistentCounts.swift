/// One noisy measurement: its value (may be negative or fractional) and the variance of its noise.
///
/// A variance of 0 marks an exact measurement, a figure already decided (in ``ConsistentCounts/topDown(total:classes:groups:)``
/// a class count that its groups must sum to): it is not moved unless nothing else can take up
/// the difference. Both fields must be finite and the variance ≥ 0.
struct NoisyMeasurement: Sendable, Equatable {
    /// The true count plus noise, so possibly negative or fractional.
    var value: Double
    /// The variance of the noise in `value`; 0 for an exact measurement.
    var variance: Double
}

/// Consistency after differentially private noise, as the US Census Bureau's 2020 TopDown
/// algorithm does it: least squares to the noisy measurements, then a rounding to non-negative
/// integers that keeps the sums. It reads only noisy values and public variances, never exact
/// data, so it is post-processing and costs no privacy budget. Pure: no I/O, no randomness
/// (ties are broken by index), so the same input always gives the same output.
///
/// `split` makes a total and its parts consistent in three steps:
/// 1. **Least squares.** The estimates t of the total and x of the parts minimise
///    Σ (x_i − y_i)²/v_i + (t − y_t)²/v_t subject to Σ x_i = t: each measurement is trusted in
///    inverse proportion to its noise variance. The closed form: t̂ is the inverse-variance
///    weighted average of the two independent estimates of the total, y_t and Σ y_i (whose
///    variance is Σ v_i); then the residual r = t̂ − Σ y_i is spread over the parts in
///    proportion to their variances, x_i = y_i + r·v_i/Σ v (a noisier part is moved more).
///    An exact measurement (variance 0) does not move: an exact total is t̂ itself, and wins
///    when the parts are all exact too. An absent total leaves t̂ = Σ y_i (the parts' own,
///    unbiased, estimate) and r = 0.
/// 2. **Non-negativity.** Counts are ≥ 0, so t̂ < 0 becomes 0. Parts that come out negative
///    are fixed at 0 and the residual is spread again, in proportion to variance, over the
///    parts still free, until none is negative (at most one round per part). This is the
///    least-squares projection onto {x ≥ 0, Σ x = t̂}: the free parts are y_i + λ·v_i, λ only
///    falls from round to round, so a part fixed at 0 would be negative at the final λ too.
///    The sum is kept rather than clamping each part alone (which, with no total, would be
///    the separable optimum) because clamping adds the positive half of the noise of every
///    zero cell to the total; keeping Σ = t̂ leaves the total as it was estimated. Since Σ = t̂
///    in every round, a free part stays positive when t̂ > 0; only when the free parts are all
///    exact (variance 0) and the residual is not 0 is there no variance to spread by: then the
///    exact parts give way, sharing the residual equally (an exact part keeps its value
///    whenever the parts with noise can absorb the difference).
/// 3. **Rounding that keeps the sum.** The total is rounded to the nearest integer T (halves
///    away from zero), every part is floored, and the T − Σ ⌊x_i⌋ missing units go one each to
///    the parts with the largest fractional remainders (ties to the lower index). Each part
///    ends within 1 of its estimate. (Σ ⌊x_i⌋ ≤ ⌊t̂⌋ ≤ T, so there is never a surplus in exact
///    arithmetic; ``roundKeepingSum(_:to:)`` still takes units back if there is one.)
///
/// `topDown` applies `split` level by level: the total and its classes first, then each
/// class's groups with the class count fixed (an exact total), as TopDown fixes a geography's
/// counts before its children are estimated.
enum ConsistentCounts {
    /// A total and its parts made consistent: non-negative integers, parts summing exactly to the total.
    /// `total` may be nil when there is no separate measurement of the total (then the total is the
    /// rounded, clamped sum of the parts' estimates). With no parts the total is its own
    /// measurement, rounded and clamped at 0, and the parts are `[]`.
    static func split(total: NoisyMeasurement?, parts: [NoisyMeasurement]) -> (total: Int, parts: [Int]) {
        for measurement in parts + [total].compactMap({ $0 }) {
            precondition(measurement.value.isFinite && measurement.variance.isFinite && measurement.variance >= 0,
                         "a noisy measurement needs a finite value and a finite variance ≥ 0")
        }
        let estimate = max(0, combinedTotal(total, parts: parts))
        let rounded = count(estimate)
        return (rounded, roundKeepingSum(nonNegativeParts(parts, summingTo: estimate), to: rounded))
    }

    /// Two levels, top down: a total, its classes, and for each class its groups (a breakdown
    /// partitions each class). Returns the total, the class counts (summing to the total) and the
    /// group counts per class (each class's groups summing to that class's count). `groups[c]` may be
    /// empty (a class with no breakdown): then it returns [] for it.
    static func topDown(total: NoisyMeasurement?, classes: [NoisyMeasurement], groups: [[NoisyMeasurement]])
        -> (total: Int, classes: [Int], groups: [[Int]]) {
        precondition(groups.count == classes.count, "one list of groups per class")
        let top = split(total: total, parts: classes)
        let byClass = zip(top.parts, groups).map { count, classGroups in
            classGroups.isEmpty ? [] : split(total: NoisyMeasurement(value: Double(count), variance: 0), parts: classGroups).parts
        }
        return (top.total, top.parts, byClass)
    }

    /// A non-negative estimate rounded to its count (halves away from zero).
    static func count(_ estimate: Double) -> Int { Int(max(0, estimate).rounded(.toNearestOrAwayFromZero)) }

    /// Step 1's estimate of the total: the inverse-variance weighted average of the total's
    /// measurement y_t and the sum of the parts Σ y_i, written as y_t + (Σ y_i − y_t)·v_t/(v_t + Σ v)
    /// (exactly y_t when the two agree). Σ y_i when there is no total or the parts are all
    /// exact; y_t when the total is exact or there are no parts.
    static func combinedTotal(_ total: NoisyMeasurement?, parts: [NoisyMeasurement]) -> Double {
        let sum = parts.map(\.value).reduce(0, +)
        guard let total else { return sum }
        if parts.isEmpty || total.variance == 0 { return total.value }
        let sumVariance = parts.map(\.variance).reduce(0, +)
        if sumVariance == 0 { return sum }
        return total.value + (sum - total.value) * total.variance / (total.variance + sumVariance)
    }

    /// Steps 1 and 2 for the parts: the least-squares estimates summing to `total` (≥ 0), with
    /// negative parts fixed at 0 and the residual spread again over the free parts, in
    /// proportion to variance (equally when the free parts are all exact), until none is negative.
    static func nonNegativeParts(_ parts: [NoisyMeasurement], summingTo total: Double) -> [Double] {
        var estimates = parts.map(\.value)
        var isFree = [Bool](repeating: true, count: parts.count)
        while isFree.contains(true) {
            let free = parts.indices.filter { isFree[$0] }
            let residual = total - free.map { parts[$0].value }.reduce(0, +)
            let freeVariance = free.map { parts[$0].variance }.reduce(0, +)
            for i in free {
                let share = freeVariance > 0 ? parts[i].variance / freeVariance : 1 / Double(free.count)
                estimates[i] = parts[i].value + residual * share
            }
            let negative = free.filter { estimates[$0] < 0 }
            if negative.isEmpty { break }
            for i in negative { estimates[i] = 0; isFree[i] = false }
        }
        return estimates
    }

    /// Step 3: integers summing exactly to `total` (≥ 0), each within 1 of its estimate when
    /// possible. Estimates are clamped at 0 and floored; missing units go to the largest
    /// fractional remainders, a surplus is taken back from the smallest remainders among the
    /// parts still above 0 (ties to the lower index; more than one unit a part only when the
    /// estimates are far from summing to `total`). No parts: `[]`, whatever the total.
    static func roundKeepingSum(_ estimates: [Double], to total: Int) -> [Int] {
        precondition(total >= 0, "a count is never negative")
        guard !estimates.isEmpty else { return [] }
        let clamped = estimates.map { max(0, $0) }
        var counts = clamped.map { Int($0.rounded(.down)) }
        let remainders = clamped.indices.map { clamped[$0] - Double(counts[$0]) }
        var missing = total - counts.reduce(0, +)
        let largestFirst = clamped.indices.sorted { remainders[$0] > remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1) }
        while missing > 0 {
            for i in largestFirst where missing > 0 { counts[i] += 1; missing -= 1 }
        }
        let smallestFirst = clamped.indices.sorted { remainders[$0] < remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1) }
        while missing < 0 {
            for i in smallestFirst where missing < 0 && counts[i] > 0 { counts[i] -= 1; missing += 1 }
        }
        return counts
    }
}
