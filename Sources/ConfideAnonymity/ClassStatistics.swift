#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one transformation does to the records: how many are suppressed, the kept classes, and
/// the parts of every metric.
public struct ClassStatistics: Sendable, Equatable {
    /// Records in classes that fail the model.
    public var suppressed = 0
    /// Kept classes.
    public var classes = 0
    /// The smallest kept class (0 when none is kept).
    public var smallestClass = 0
    /// Σ |E|² over kept classes.
    public var keptSquares = 0
    /// Σ |E|² over every class, failing ones included (ARX's DM*).
    public var allSquares = 0
    /// Per quasi-identifier, Σ over suppressed records of the hierarchy rows their generalised
    /// value covers (filled only when asked for).
    public var suppressedCovered: [Int] = []

    /// The value of `metric` at `levels` for `problem`.
    func value(of metric: QualityMetric, levels: [Int], problem: AnonymizationProblem) -> Double {
        switch metric {
        case .entropy:
            return problem.levelBound(levels)
        case .dm:
            return Double(keptSquares) + Double(suppressed) * Double(problem.recordCount)
        case .loss:
            var covered: [Int] = []
            for (index, quasiIdentifier) in problem.quasiIdentifiers.enumerated() {
                let removed = suppressedCovered.isEmpty ? 0 : suppressedCovered[index]
                covered.append(quasiIdentifier.coveredTotal[levels[index]] - removed + suppressed * quasiIdentifier.hierarchyRows)
            }
            return LossFormula.loss(covered: covered, hierarchyRows: problem.quasiIdentifiers.map(\.hierarchyRows),
                                    records: problem.recordCount)
        }
    }
}

/// Counts the classes of a histogram against a model. With l-diversity the histogram's keys
/// carry the sensitive value in their low bits, and entries are first grouped by class.
final class ClassCounter {
    let problem: AnonymizationProblem
    private let groups: GroupIndex
    private var groupKeys: UnsafeMutablePointer<UInt64>
    private var groupSizes: UnsafeMutablePointer<Int>
    private var groupDistinct: UnsafeMutablePointer<Int>
    private var groupLogSums: UnsafeMutablePointer<Double>
    private var groupCapacity = 0

    init(problem: AnonymizationProblem) {
        self.problem = problem
        groups = GroupIndex()
        groupKeys = .allocate(capacity: 1)
        groupSizes = .allocate(capacity: 1)
        groupDistinct = .allocate(capacity: 1)
        groupLogSums = .allocate(capacity: 1)
    }

    deinit {
        groupKeys.deallocate()
        groupSizes.deallocate()
        groupDistinct.deallocate()
        groupLogSums.deallocate()
    }

    /// The statistics of `histogram` at `levels`; the suppressed records' covered rows are
    /// summed when `withCovered` and the transformation is within the suppression limit.
    func statistics(_ histogram: ClassHistogram, levels: [Int], withCovered: Bool) -> ClassStatistics {
        let k = problem.model.k
        var statistics = ClassStatistics()
        var smallest = Int.max
        guard let diversity = problem.model.diversity else {
            let counts = histogram.counts
            for entry in 0..<histogram.count {
                let size = Int(counts[entry])
                statistics.allSquares &+= size &* size
                if size < k {
                    statistics.suppressed += size
                } else {
                    statistics.classes += 1
                    statistics.keptSquares &+= size &* size
                    if size < smallest { smallest = size }
                }
            }
            statistics.smallestClass = smallest == Int.max ? 0 : smallest
            if withCovered && statistics.suppressed > 0
                && statistics.suppressed <= problem.model.suppressionAllowance(records: problem.recordCount) {
                statistics.suppressedCovered = [Int](repeating: 0, count: problem.quasiIdentifiers.count)
                for entry in 0..<histogram.count where Int(histogram.counts[entry]) < k {
                    addCovered(key: histogram.keys[entry], size: Int(histogram.counts[entry]), levels: levels, to: &statistics)
                }
            }
            return statistics
        }
        // l-diversity: group the (class, sensitive value) entries by class.
        reserveGroups(histogram.count)
        groups.reset(forAtMost: histogram.count)
        let classMask = ~((UInt64(1) << UInt64(problem.sensitiveBits)) &- 1)
        for entry in 0..<histogram.count {
            let key = histogram.keys[entry] & classMask
            let size = Int(histogram.counts[entry])
            let (group, isNew) = groups.index(of: key)
            if isNew {
                groupKeys[group] = key
                groupSizes[group] = 0
                groupDistinct[group] = 0
                groupLogSums[group] = 0
            }
            groupSizes[group] += size
            groupDistinct[group] += 1
            if diversity.kind == .entropy && size > 1 { groupLogSums[group] += Double(size) * log(Double(size)) }
        }
        let allowance = problem.model.suppressionAllowance(records: problem.recordCount)
        for pass in 0..<2 {
            if pass == 1 {
                guard withCovered && statistics.suppressed > 0 && statistics.suppressed <= allowance else { break }
                statistics.suppressedCovered = [Int](repeating: 0, count: problem.quasiIdentifiers.count)
            }
            for group in 0..<groups.count {
                let size = groupSizes[group]
                let passes = size >= k && diversity.passes(size: size, distinct: groupDistinct[group], sumCountLogCount: groupLogSums[group])
                if pass == 1 {
                    if !passes { addCovered(key: groupKeys[group], size: size, levels: levels, to: &statistics) }
                    continue
                }
                statistics.allSquares &+= size &* size
                if passes {
                    statistics.classes += 1
                    statistics.keptSquares &+= size &* size
                    if size < smallest { smallest = size }
                } else {
                    statistics.suppressed += size
                }
            }
        }
        statistics.smallestClass = smallest == Int.max ? 0 : smallest
        return statistics
    }

    @inline(__always) private func addCovered(key: UInt64, size: Int, levels: [Int], to statistics: inout ClassStatistics) {
        for (index, quasiIdentifier) in problem.quasiIdentifiers.enumerated() {
            let mask = (UInt64(1) << UInt64(quasiIdentifier.bits)) &- 1
            let id = Int((key >> UInt64(problem.offsets[index])) & mask)
            statistics.suppressedCovered[index] += size * quasiIdentifier.rowsCovered[levels[index]][id]
        }
    }

    private func reserveGroups(_ count: Int) {
        guard count > groupCapacity else { return }
        groupKeys.deallocate(); groupSizes.deallocate(); groupDistinct.deallocate(); groupLogSums.deallocate()
        groupCapacity = count
        groupKeys = .allocate(capacity: count)
        groupSizes = .allocate(capacity: count)
        groupDistinct = .allocate(capacity: count)
        groupLogSums = .allocate(capacity: count)
    }
}

/// An open-addressing map from packed class keys to dense group indexes, reused across nodes.
final class GroupIndex {
    private var keys: UnsafeMutablePointer<UInt64>
    private var indexes: UnsafeMutablePointer<Int32>
    private var capacity = 0
    private var active = 16
    private var shift: UInt64 = 60
    private(set) var count = 0

    init() {
        keys = .allocate(capacity: 1)
        indexes = .allocate(capacity: 1)
    }

    deinit {
        keys.deallocate()
        indexes.deallocate()
    }

    /// Empties the map for at most `entries` keys.
    func reset(forAtMost entries: Int) {
        var size = 16
        var bits: UInt64 = 4
        while size < entries * 2 { size <<= 1; bits += 1 }
        if size > capacity {
            keys.deallocate()
            indexes.deallocate()
            keys = .allocate(capacity: size)
            indexes = .allocate(capacity: size)
            capacity = size
        }
        active = size
        shift = 64 - bits
        indexes.update(repeating: -1, count: size)
        count = 0
    }

    /// The index of `key` and whether it is new.
    @inline(__always) func index(of key: UInt64) -> (Int, Bool) {
        let mask = active - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = indexes[slot]
            if found < 0 {
                keys[slot] = key
                indexes[slot] = Int32(count)
                count += 1
                return (count - 1, true)
            }
            if keys[slot] == key { return (Int(found), false) }
            slot = (slot + 1) & mask
        }
    }
}
