import ConfideMetrics
import ConfideModel
import ConfideRelease

/// One published figure before it becomes a cell.
struct Figure {
    var value: Double?
    var low: Double?
    var high: Double?
    var reason: String
}

/// Computes measures from a table's cells: from the consistent window counts of the noisy
/// cells (dp, post-processing only: ``ConsistentWindow``) or from bounded exact cells (sdc).
enum MeasureEvaluator {
    case noisy(ConsistentWindow)
    case exact(table: ExactTable, bounded: BoundedTable)

    /// A sum of classes for one group: its value and its noise (dp), or its bounded value and
    /// its distinct clients (sdc).
    func total(_ sum: ClassSum, groupType: GroupType, group: String) -> (value: Double, noise: NoiseSum, clients: Int, raw: Double) {
        switch self {
        case .noisy(let window):
            var value = 0.0, raw = 0.0
            var noise = NoiseSum()
            for cls in sum.classes {
                let key = ClassCell(histogram: sum.histogram, cls: cls, groupType: groupType, group: group)
                if let count = window.counts[key] { value += Double(count) }
                if let noisy = window.raw[key] { raw += noisy }
                if let cellNoise = window.noise[key] { noise.add(cellNoise) }
            }
            return (value, noise, 0, raw)
        case .exact(let table, let bounded):
            var value = 0
            var clients = Set<Int32>()
            for (index, cell) in table.cells.enumerated()
            where cell.histogram == sum.histogram && cell.groupType == groupType && cell.group == group && sum.classes.contains(cell.cls) {
                value += bounded.cells[index].sum
                clients.formUnion(bounded.clientsByCell[index])
            }
            return (Double(value), NoiseSum(), clients.count, Double(value))
        }
    }

    /// The weeks a window of `window` weeks sums when `earlierReleases` stored releases precede
    /// this one (newest first, missing weeks skipped): the current week and as many earlier
    /// releases as the window has room for. The one rule for both the figures and the weeks a
    /// table states it covers.
    static func weeksSummed(window: Int, earlierReleases: Int) -> Int {
        window > 1 ? min(window, earlierReleases + 1) : 1
    }

    /// The reason a figure that noise would dominate is suppressed with.
    static let tooUncertain = "too uncertain"
    /// A dp count is too uncertain when its 90% half-width is above this share of it (the
    /// interval would run from under half the figure to over one and a half times it).
    static let uncertainCount = 0.5
    /// A dp rate is too uncertain when its 90% interval is wider than this, in points.
    static let uncertainRatePoints = 30.0
    /// A dp outcome rate needs at least this many finished courses (its noisy denominator), as
    /// ACORN shows a clinician's outcomes only on 15 or more cases (`docs/privacy.md`).
    static let minimumCourses = 15

    /// One figure: a measure for one group, protected as the settings say (before secondary
    /// suppression).
    func evaluate(_ measure: Measure, groupType: GroupType, group: String, settings: PrivacySettings,
                  halfWidths: inout [NoiseSum: Double]) -> Figure {
        let k = settings.minClients(groupType: groupType, group: group)
        func width(_ noise: NoiseSum) -> Double {
            if let cached = halfWidths[noise] { return cached }
            let w = noise.halfWidth90()
            halfWidths[noise] = w
            return w
        }
        let isDP: Bool = if case .noisy = self { true } else { false }
        switch measure.formula {
        case .count(let histogram, let classes):
            let sum = isDP ? measure.dpParts(for: groupType)[0] : ClassSum(histogram, classes)
            let t = total(sum, groupType: groupType, group: group)
            if isDP {
                let value = max(0, t.value)
                guard value >= Double(k) else { return Figure(reason: "fewer than \(k) after noise") }
                let half = width(t.noise)
                guard half <= Self.uncertainCount * value else { return Figure(reason: Self.tooUncertain) }
                // The interval holds the consistent value and the raw noisy sum's 90% interval.
                return Figure(value: value, low: max(0, min(value, t.raw) - half), high: max(value, t.raw) + half, reason: "")
            }
            guard t.clients >= k else { return Figure(reason: "fewer than \(k) clients") }
            let rounded = Double(roundToFive(Int(t.value)))
            return Figure(value: rounded, low: max(0, rounded - 2), high: rounded + 2, reason: "")
        case .rate(let numeratorSum, let denominatorSum):
            let n = total(numeratorSum, groupType: groupType, group: group)
            let d = total(denominatorSum, groupType: groupType, group: group)
            if isDP {
                let num = max(0, n.value), den = max(0, d.value)
                let least = measure.table == .outcomes ? max(k, Self.minimumCourses) : k
                guard den >= Double(least) else {
                    return Figure(reason: least > k ? "fewer than \(least) courses after noise" : "denominator below \(k) after noise")
                }
                let value = roundTo1(min(100, 100 * num / den))
                // The delta method for p = n / (n + m), the numerator's classes being part of the
                // denominator's (every rate of the catalogue): var p ≈ ((1 − p)² var n + p² var m) / d²,
                // m the denominator's other classes; the interval is p ± 1.6449 sd around the
                // consistent value and the raw ratio both.
                var rest = NoiseSum()
                for cls in denominatorSum.classes where !numeratorSum.classes.contains(cls) {
                    rest.add(total(ClassSum(denominatorSum.histogram, [cls]), groupType: groupType, group: group).noise)
                }
                let rawNum = max(0, n.raw), rawDen = max(1, d.raw, rawNum)
                let p = min(1, num / den), rawP = min(1, rawNum / rawDen)
                let half = 100 * 1.6449 * ((1 - p) * (1 - p) * n.noise.variance + p * p * rest.variance).squareRoot() / max(1, min(den, rawDen))
                let low = roundTo1(max(0, min(value, 100 * rawP) - half))
                let high = roundTo1(min(100, max(value, 100 * rawP) + half))
                guard high - low <= Self.uncertainRatePoints else { return Figure(reason: Self.tooUncertain) }
                return Figure(value: value, low: low, high: high, reason: "")
            }
            guard n.clients >= k, d.clients >= k, d.value > 0 else { return Figure(reason: "numerator or denominator below \(k) clients") }
            let value = roundTo1(100 * n.value / d.value)
            return Figure(value: value, low: value, high: value, reason: "")
        case .mean(let sumClasses, let countClasses):
            let s = total(sumClasses, groupType: groupType, group: group)
            let c = total(countClasses, groupType: groupType, group: group)
            if isDP {
                // A mean lies between 0 and the per-client cap of its sum (post-processing).
                let cap = Double(Catalogue.histogram(sumClasses.histogram)?.cap ?? Int.max)
                let count = max(0, c.value), sum = max(0, s.value)
                let least = measure.table == .outcomes ? max(k, Self.minimumCourses) : k
                guard count >= Double(least) else { return Figure(reason: "fewer than \(least) courses after noise") }
                let sh = width(s.noise), ch = width(c.noise)
                let value = roundTo1(min(cap, sum / count))
                let rawSum = max(0, s.raw), rawCount = max(0, c.raw)
                let low = roundTo1(min(value, min(cap, max(0, rawSum - sh) / (rawCount + ch))))
                let high = roundTo1(max(value, min(cap, (rawSum + sh) / max(1, rawCount - ch))))
                guard high - low <= value else { return Figure(reason: Self.tooUncertain) }
                return Figure(value: value, low: low, high: high, reason: "")
            }
            guard c.clients >= k, c.value > 0 else { return Figure(reason: "fewer than \(k) clients") }
            let value = roundTo1(s.value / c.value)
            return Figure(value: value, low: value, high: value, reason: "")
        case .median(let ordered):
            let classes = ordered.classes.map { total(ClassSum(ordered.histogram, [$0]), groupType: groupType, group: group) }
            let values = ordered.classes.map { Double($0.prefix { $0.isNumber }) ?? 0 }
            if isDP {
                let counts = classes.map { max(0, $0.value) }
                let n = counts.reduce(0, +)
                guard n >= Double(k) else { return Figure(reason: "fewer than \(k) after noise") }
                // The running totals and the 90% half-widths of their noise; the interval is the
                // range of classes where the running total's interval straddles half the total.
                var running = 0.0, noise = NoiseSum()
                var median: Double?, low: Double?, high: Double?
                for index in classes.indices {
                    running += counts[index]
                    noise.add(classes[index].noise)
                    let half = width(noise)
                    if low == nil, running + half >= n / 2 { low = values[index] }
                    if median == nil, running >= n / 2 { median = values[index] }
                    if high == nil, running - half >= n / 2 { high = values[index] }
                }
                return Figure(value: median, low: low, high: high ?? values.last, reason: "")
            }
            let n = classes.map(\.value).reduce(0, +)
            let clients = total(ordered, groupType: groupType, group: group).clients
            guard clients >= k, n > 0 else { return Figure(reason: "fewer than \(k) clients") }
            var running = 0.0
            let index = classes.indices.first { running += classes[$0].value; return running >= n / 2 }!
            return Figure(value: values[index], low: values[index], high: values[index], reason: "")
        }
    }
}
