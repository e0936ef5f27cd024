import ConfideMetrics
import ConfideModel
import ConfideRelease

/// The noisy cells of a dp table's window made consistent (``ConsistentCounts``), the figures
/// every measure reads: non-negative integers where
/// - each histogram's classes add up to its total for the practice, a total measured more than
///   once (``Catalogue/sharedTotals``: `flows` and the histograms it stands for) estimated once
///   from all its measurements;
/// - for each class, the groups of a breakdown add up to the practice's count. Every breakdown
///   partitions the practice: one by contact (therapist, modality, delivery) has a group for
///   what has no contact (``Group/noContactName``: drawn like the others, at no extra cost since
///   a contribution falls in one group, and never published).
///
/// Window sums come first: a cell's value is its noisy values summed over the weeks its
/// histogram's window sums (``MeasureEvaluator/weeksSummed(window:earlierReleases:)``), its
/// variance the sum of theirs. Only noisy values and public noise scales are read:
/// post-processing, no budget.
struct ConsistentWindow {
    /// The consistent count of each cell.
    private(set) var counts: [ClassCell: Int] = [:]
    /// The noise each cell's window sum carries (for the 90% intervals).
    private(set) var noise: [ClassCell: NoiseSum] = [:]
    /// Each cell's raw window sum, before consistency (the intervals hold it too).
    private(set) var raw: [ClassCell: Double] = [:]

    init(current: [ClassCell: NoisyCell], earlier: [[ClassCell: NoisyCell]], histograms: [Histogram]) {
        var sums: [ClassCell: (value: Double, noise: NoiseSum)] = [:]
        for histogram in histograms {
            let weeks = MeasureEvaluator.weeksSummed(window: histogram.windowWeeks, earlierReleases: earlier.count)
            for (key, cell) in current where key.histogram == histogram.id {
                var value = Double(cell.value), sum = NoiseSum()
                sum.add(t: cell.t, s: cell.s)
                for release in earlier.prefix(weeks - 1) {
                    guard let old = release[key] else { continue }
                    value += Double(old.value)
                    sum.add(t: old.t, s: old.s)
                }
                sums[key] = (value, sum)
            }
        }
        noise = sums.mapValues(\.noise)
        raw = sums.mapValues(\.value)
        let drawn = Set(sums.keys.map(\.histogram))
        let present = histograms.filter { drawn.contains($0.id) }

        // 1. The practice: shared totals, then each histogram's classes.
        func measurement(_ sum: ClassSum, _ groupType: GroupType, _ group: String) -> NoisyMeasurement? {
            let cells = sum.classes.compactMap { sums[ClassCell(histogram: sum.histogram, cls: $0, groupType: groupType, group: group)] }
            guard cells.count == sum.classes.count, !cells.isEmpty else { return nil }
            return NoisyMeasurement(value: cells.map(\.value).reduce(0, +), variance: cells.map(\.noise.variance).reduce(0, +))
        }
        var fixedTotals: [String: Int] = [:]           // histogram → its practice total
        var fixedClasses: [ClassCell: Int] = [:]       // flows' classes, fixed by the totals they share
        let all = Group.practiceName
        for shared in Catalogue.sharedTotals {
            let measured = shared.compactMap { measurement($0, .practice, all) }
            guard !measured.isEmpty else { continue }
            let total = ConsistentCounts.count(Self.combined(measured).value)
            for sum in shared where present.contains(where: { $0.id == sum.histogram }) {
                if sum.classes.count == Catalogue.histogram(sum.histogram)?.classes.count {
                    fixedTotals[sum.histogram] = total
                } else if sum.classes.count == 1 {
                    fixedClasses[ClassCell(histogram: sum.histogram, cls: sum.classes[0], groupType: .practice, group: all)] = total
                }
            }
        }
        for histogram in present {
            let keys = histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .practice, group: all) }
            let measured = keys.map { sums[$0] }
            if measured.allSatisfy({ $0 == nil }) {
                // Not drawn for the practice (read from `flows`): a one-class histogram's class is its total.
                if keys.count == 1, let total = fixedTotals[histogram.id] { counts[keys[0]] = total }
                continue
            }
            let free = keys.indices.filter { fixedClasses[keys[$0]] == nil && measured[$0] != nil }
            for key in keys { if let fixed = fixedClasses[key] { counts[key] = fixed } }
            guard !free.isEmpty else { continue }
            let total = fixedTotals[histogram.id].map { NoisyMeasurement(value: Double($0), variance: 0) }
            let parts = free.map { NoisyMeasurement(value: measured[$0]!.value, variance: measured[$0]!.noise.variance) }
            let split = ConsistentCounts.split(total: total, parts: parts)
            for (i, index) in free.enumerated() { counts[keys[index]] = split.parts[i] }
        }

        // 2. Each breakdown's groups, class by class, under the practice's count.
        var groupsByBreakdown: [String: [String: [String]]] = [:]   // histogram → breakdown → groups, in cell order
        for key in sums.keys.sorted(by: Self.order) where key.groupType != .practice {
            var groups = groupsByBreakdown[key.histogram, default: [:]][key.groupType.rawValue, default: []]
            if !groups.contains(key.group) { groups.append(key.group) }
            groupsByBreakdown[key.histogram, default: [:]][key.groupType.rawValue] = groups
        }
        for histogram in present {
            for (breakdown, groups) in groupsByBreakdown[histogram.id] ?? [:] {
                let groupType = GroupType(rawValue: breakdown)!
                for cls in histogram.classes {
                    let keys = groups.map { ClassCell(histogram: histogram.id, cls: cls, groupType: groupType, group: $0) }
                    let practice = counts[ClassCell(histogram: histogram.id, cls: cls, groupType: .practice, group: all)]
                    let parts = keys.map { key in sums[key].map { NoisyMeasurement(value: $0.value, variance: $0.noise.variance) } }
                    guard parts.allSatisfy({ $0 != nil }) else { continue }
                    let total = practice.map { NoisyMeasurement(value: Double($0), variance: 0) }
                    let split = ConsistentCounts.split(total: total, parts: parts.map { $0! })
                    for (i, key) in keys.enumerated() { counts[key] = split.parts[i] }
                }
            }
        }
    }

    /// Independent measurements of one quantity, combined by inverse variance (an exact one wins).
    static func combined(_ measurements: [NoisyMeasurement]) -> NoisyMeasurement {
        if let exact = measurements.first(where: { $0.variance == 0 }) { return exact }
        let weights = measurements.map { 1 / $0.variance }
        let total = weights.reduce(0, +)
        return NoisyMeasurement(value: zip(measurements, weights).map { $0.value * $1 }.reduce(0, +) / total, variance: 1 / total)
    }

    /// Cells in a stable order (histogram, breakdown, group, class), so the result never depends
    /// on dictionary order.
    static func order(_ a: ClassCell, _ b: ClassCell) -> Bool {
        (a.histogram, a.groupType.rawValue, a.group, a.cls) < (b.histogram, b.groupType.rawValue, b.group, b.cls)
    }
}
