#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One transformation applied to every record: each record's class, which records are
/// suppressed, and the statistics computed afresh from the records (independently of the
/// search's roll-ups).
public struct AppliedTransformation: Sendable {
    /// The problem.
    public let problem: AnonymizationProblem
    /// The level of each quasi-identifier, in header order.
    public let levels: [Int]
    /// Whether each record (in order) is suppressed.
    public let suppressed: [Bool]
    /// Suppressed records, kept classes and the metric's parts.
    public let statistics: ClassStatistics
    /// The metric's value.
    public let metricValue: Double
    /// The sizes of the kept classes (the output's equivalence classes, suppressed records left out).
    public let keptClassSizes: [Int]

    /// Applies `levels`.
    public init(problem: AnonymizationProblem, levels: [Int]) {
        let classes = Self.classes(problem: problem, levels: levels)
        let k = problem.model.k
        var statistics = ClassStatistics()
        var kept: [Int] = []
        let keptClass = classes.sizes.indices.map { classes.sizes[$0] >= k && classes.diverse[$0] }
        for (index, size) in classes.sizes.enumerated() {
            statistics.allSquares += size * size
            if keptClass[index] {
                kept.append(size)
                statistics.keptSquares += size * size
            } else {
                statistics.suppressed += size
            }
        }
        statistics.classes = kept.count
        statistics.smallestClass = kept.min() ?? 0
        let suppressed = classes.classOfRecord.map { !keptClass[$0] }
        statistics.suppressedCovered = problem.quasiIdentifiers.indices.map { column in
            let quasiIdentifier = problem.quasiIdentifiers[column]
            let ids = problem.table.columns[quasiIdentifier.name]!.ids
            var total = 0
            for record in 0..<suppressed.count where suppressed[record] {
                let generalised = quasiIdentifier.generalised[levels[column]][Int(ids[record])]
                total += quasiIdentifier.rowsCovered[levels[column]][Int(generalised)]
            }
            return total
        }
        self.problem = problem
        self.levels = levels
        self.suppressed = suppressed
        self.statistics = statistics
        self.metricValue = statistics.value(of: problem.metric, levels: levels, problem: problem)
        self.keptClassSizes = kept
    }

    /// The classes at `levels`: each record's class, each class's size and whether it is
    /// l-diverse (always true without l).
    static func classes(problem: AnonymizationProblem, levels: [Int]) -> (classOfRecord: [Int], sizes: [Int], diverse: [Bool]) {
        let keys = problem.keys(levels: levels)
        let classMask = ~((UInt64(1) << UInt64(problem.sensitiveBits)) &- 1)
        let classIndex = GroupIndex()
        classIndex.reset(forAtMost: keys.count)
        var classOfRecord = [Int](repeating: 0, count: keys.count)
        var sizes: [Int] = []
        for (record, key) in keys.enumerated() {
            let (index, isNew) = classIndex.index(of: key & classMask)
            if isNew { sizes.append(0) }
            sizes[index] += 1
            classOfRecord[record] = index
        }
        guard let diversity = problem.model.diversity else {
            return (classOfRecord, sizes, [Bool](repeating: true, count: sizes.count))
        }
        let entryIndex = GroupIndex()
        entryIndex.reset(forAtMost: keys.count)
        var entryCounts: [Int] = []
        var entryClass: [Int] = []
        for (record, key) in keys.enumerated() {
            let (index, isNew) = entryIndex.index(of: key)
            if isNew { entryCounts.append(0); entryClass.append(classOfRecord[record]) }
            entryCounts[index] += 1
        }
        var distinct = [Int](repeating: 0, count: sizes.count)
        var logSums = [Double](repeating: 0, count: sizes.count)
        for (entry, count) in entryCounts.enumerated() {
            distinct[entryClass[entry]] += 1
            if count > 1 { logSums[entryClass[entry]] += Double(count) * log(Double(count)) }
        }
        let diverse = sizes.indices.map { diversity.passes(size: sizes[$0], distinct: distinct[$0], sumCountLogCount: logSums[$0]) }
        return (classOfRecord, sizes, diverse)
    }

    /// The re-identification risk of the output: the kept records' classes (ARX leaves
    /// suppressed records out of its risk estimates).
    public var riskAfter: ReidentificationRisk { ReidentificationRisk(classSizes: keptClassSizes) }
}
