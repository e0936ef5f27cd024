@_spi(Protection) import ConfideRelease
import ConfideModel
import ConfideMetrics

/// One figure of a table (a measure for one group), for secondary suppression.
struct FigureKey {
    let measure: Measure
    let groupType: GroupType
    let group: String
}

/// Secondary suppression over a whole table and its margins (sdc mode), by Gaussian
/// elimination as in SSBtools' `GaussSuppression`.
///
/// The unknowns are the table's class cells (each class of each histogram for each group of
/// each breakdown, and for the practice). What an attacker knows exactly:
/// - every margin: for each class and each breakdown, the practice cell equals the sum of the
///   breakdown's groups (assumed exact, which is conservative: contribution bounding makes it
///   approximate);
/// - every published figure, as if unrounded (conservative too): a count's class sum, a rate's
///   numerator and denominator, a mean's sum and count.
///
/// A primarily suppressed figure makes its small parts (those resting on fewer than
/// `min_clients` clients, `min_clients_under_18` in an age band under 18) sensitive. Published figures are visited from the most to the least
/// useful (practice figures first, then by size, largest first); each one is published only
/// when, with it, no sensitive part lies in the span of what is known. Otherwise it is
/// suppressed as well. At the end no sensitive part is a linear function of published
/// figures and margins.
struct SecondarySuppression {
    let table: ExactTable
    let evaluator: MeasureEvaluator
    /// The threshold of a group's cells (`min_clients`, or `min_clients_under_18` for an age
    /// band under 18: ``PrivacySettings/minClients(groupType:group:)``).
    let minClients: (GroupType, String) -> Int
    private let index: [ClassCell: Int]

    init(table: ExactTable, evaluator: MeasureEvaluator, minClients: @escaping (GroupType, String) -> Int) {
        self.table = table
        self.evaluator = evaluator
        self.minClients = minClients
        var index: [ClassCell: Int] = [:]
        for (i, cell) in table.cells.enumerated() { index[cell] = i }
        self.index = index
    }

    /// The row of `sum` for one group: 1 at each of its class cells.
    func row(_ sum: ClassSum, _ groupType: GroupType, _ group: String) -> [Double] {
        var row = [Double](repeating: 0, count: table.cells.count)
        for cls in sum.classes {
            if let i = index[ClassCell(histogram: sum.histogram, cls: cls, groupType: groupType, group: group)] { row[i] = 1 }
        }
        return row
    }

    /// The margins: practice cell minus the sum of each breakdown's groups, per class (known 0).
    func marginRows() -> [[Double]] {
        var groups: [String: [Int]] = [:]  // histogram, class, breakdown → cells
        var practice: [String: Int] = [:]  // histogram, class → the practice cell
        for (i, cell) in table.cells.enumerated() {
            let key = cell.histogram + "\u{0}" + cell.cls
            if cell.groupType == .practice { practice[key] = i } else { groups[key + "\u{0}" + cell.groupType.rawValue, default: []].append(i) }
        }
        var rows: [[Double]] = []
        for (key, members) in groups.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            guard let total = practice[parts[0] + "\u{0}" + parts[1]] else { continue }
            var row = [Double](repeating: 0, count: table.cells.count)
            row[total] = -1
            for i in members { row[i] = 1 }
            rows.append(row)
        }
        return rows
    }

    /// The parts of a primarily suppressed figure that must stay undetermined.
    func sensitiveRows(_ figure: FigureKey) -> [[Double]] {
        let parts = figure.measure.parts
        let totals = parts.map { evaluator.total($0, groupType: figure.groupType, group: figure.group) }
        let threshold = minClients(figure.groupType, figure.group)
        var small = parts.indices.filter { totals[$0].clients < threshold }
        if case .mean = figure.measure.formula, !small.isEmpty { small = Array(parts.indices) }
        if small.isEmpty { small = Array(parts.indices) }
        return small.map { row(parts[$0], figure.groupType, figure.group) }
    }

    /// How much a figure is worth publishing: practice figures first, then larger ones.
    private func priority(_ figure: FigureKey) -> (Int, Double) {
        let parts = figure.measure.parts
        let size = evaluator.total(parts[parts.count - 1], groupType: figure.groupType, group: figure.group).value
        return (figure.groupType == .practice ? 0 : 1, -size)
    }

    /// Suppresses further cells of `cells` (parallel to `figures`) until no sensitive part is
    /// determined by the published ones and the margins.
    func apply(to cells: inout [ProtectedCell], figures: [FigureKey]) {
        var span = KnownSpan(width: table.cells.count)
        for row in marginRows() { span.insert(row) }
        var sensitive: [[Double]] = []
        for (i, figure) in figures.enumerated() where cells[i].status == .suppressed {
            for row in sensitiveRows(figure) {
                let residual = span.residual(row)
                if !KnownSpan.isZero(residual) { sensitive.append(residual) }
            }
        }
        guard !sensitive.isEmpty else { return }
        let order = figures.indices.filter { cells[$0].status == .published }
            .map { ($0, priority(figures[$0])) }
            .sorted { ($0.1.0, $0.1.1, $0.0) < ($1.1.0, $1.1.1, $1.0) }
            .map(\.0)
        for i in order {
            var trial = span
            var added: [(row: [Double], pivot: Int)] = []
            for part in figures[i].measure.parts {
                let residual = trial.insert(row(part, figures[i].groupType, figures[i].group))
                if let pivot = KnownSpan.pivot(of: residual) { added.append((residual, pivot)) }
            }
            if added.isEmpty { continue }  // already follows from published figures
            var updated = sensitive
            var reveals = false
            for s in updated.indices {
                var changed = false
                for (row, pivot) in added where updated[s][pivot] != 0 {
                    subtract(updated[s][pivot] / row[pivot], row, from: &updated[s])
                    updated[s][pivot] = 0
                    changed = true
                }
                if changed, KnownSpan.isZero(updated[s]) { reveals = true; break }
            }
            if reveals {
                cells[i] = cells[i].suppressed(reason: "suppressed to protect another cell")
            } else {
                span = trial
                sensitive = updated
            }
        }
    }
}

extension ProtectedCell {
    /// The same cell, suppressed.
    func suppressed(reason: String) -> ProtectedCell {
        ProtectedCell(table: table, groupType: groupType, group: group, measureID: measureID, measureName: measureName,
                      isRate: isRate, value: nil, intervalLow: nil, intervalHigh: nil, status: .suppressed, reason: reason)
    }
}
