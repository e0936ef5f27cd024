#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A quasi-identifying column with its hierarchy, as tables over small integer ids.
///
/// Level-0 ids are the column's value ids (``EncodedColumn/values``); the ids at each higher
/// level number the generalised values of the values present in the data, so every level's ids
/// fit in the bits of level 0.
public struct QuasiIdentifier: Sendable {
    /// The column name.
    public let name: String
    /// The column's 0-based position in the header.
    public let columnIndex: Int
    /// The highest level (the hierarchy's width less one).
    public let maxLevel: Int
    /// The rows of the hierarchy file (ARX's `|dom|` in the loss metric).
    public let hierarchyRows: Int
    /// For each level, each value id's generalised id.
    let generalised: [[UInt32]]
    /// For each level below the top, each generalised id's id one level up.
    let up: [[UInt32]]
    /// For each level, each generalised id's text.
    let labels: [[String]]
    /// For each level, each generalised id's number of hierarchy rows that generalise to it.
    let rowsCovered: [[Int]]
    /// For each level, the sum over records of ``rowsCovered`` (records × rows, exact).
    let coveredTotal: [Int]
    /// For each level, ARX's monotonic non-uniform entropy of the column at that level.
    let entropy: [Double]

    /// The number of distinct values in the data (level-0 ids).
    public var distinctValues: Int { generalised[0].count }

    /// Ties `column` to `hierarchy`.
    ///
    /// - Throws: ``AnonymityError`` `.dataError` when a value of the column is not in the
    ///   hierarchy (naming the input file, the column and the first line with it).
    public init(column: EncodedColumn, hierarchy: Hierarchy, inputPath: String) throws(AnonymityError) {
        var rowOfValue: [Int] = []
        rowOfValue.reserveCapacity(column.values.count)
        for (id, value) in column.values.enumerated() {
            guard let row = hierarchy.rowOfValue[value] else {
                throw AnonymityError(.dataError, "\(inputPath): line \(column.firstLines[id]): the value of column '\(column.name)' "
                    + "is not in its hierarchy \(hierarchy.path)")
            }
            rowOfValue.append(row)
        }
        var occurrences = [Int](repeating: 0, count: column.values.count)
        for id in column.ids { occurrences[Int(id)] += 1 }

        var generalised: [[UInt32]] = []
        var labels: [[String]] = []
        var rowsCovered: [[Int]] = []
        var coveredTotal: [Int] = []
        var entropy: [Double] = []
        for level in 0..<hierarchy.levelCount {
            var rowsAtLabel: [String: Int] = [:]
            for row in hierarchy.rows { rowsAtLabel[row[level], default: 0] += 1 }
            var idOfLabel: [String: UInt32] = [:]
            var levelLabels: [String] = []
            var ids: [UInt32] = []
            for row in rowOfValue {
                let label = hierarchy.rows[row][level]
                if let id = idOfLabel[label] {
                    ids.append(id)
                } else {
                    let id = UInt32(levelLabels.count)
                    idOfLabel[label] = id
                    levelLabels.append(label)
                    ids.append(id)
                }
            }
            var recordsAtId = [Int](repeating: 0, count: levelLabels.count)
            for (value, id) in ids.enumerated() { recordsAtId[Int(id)] += occurrences[value] }
            var total = 0
            var levelEntropy = 0.0
            for (value, id) in ids.enumerated() where occurrences[value] > 0 {
                total += occurrences[value] * rowsAtLabel[levelLabels[Int(id)]]!
                let count = Double(occurrences[value])
                levelEntropy -= count * log2(count / Double(recordsAtId[Int(id)]))
            }
            generalised.append(ids)
            labels.append(levelLabels)
            rowsCovered.append(levelLabels.map { rowsAtLabel[$0]! })
            coveredTotal.append(total)
            entropy.append(levelEntropy)
        }
        var up: [[UInt32]] = []
        for level in 0..<(hierarchy.levelCount - 1) {
            var table = [UInt32](repeating: 0, count: labels[level].count)
            for value in 0..<rowOfValue.count { table[Int(generalised[level][value])] = generalised[level + 1][value] }
            up.append(table)
        }
        self.name = column.name
        self.columnIndex = column.index
        self.maxLevel = hierarchy.levelCount - 1
        self.hierarchyRows = hierarchy.rows.count
        self.generalised = generalised
        self.up = up
        self.labels = labels
        self.rowsCovered = rowsCovered
        self.coveredTotal = coveredTotal
        self.entropy = entropy
    }

    /// The bits a level-0 id needs.
    var bits: Int { Self.bits(forDistinct: distinctValues) }

    /// The bits for ids `0..<distinct`.
    static func bits(forDistinct distinct: Int) -> Int {
        distinct <= 1 ? 0 : 64 - (distinct - 1).leadingZeroBitCount
    }

    /// The text of value id `value` generalised to `level`.
    public func label(value: UInt32, level: Int) -> String {
        labels[level][Int(generalised[level][Int(value)])]
    }
}
