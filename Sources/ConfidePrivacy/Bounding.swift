import ConfideMetrics

/// A cell after contribution bounding: its bounded sum and its distinct clients.
struct BoundedCell {
    var sum = 0
    var clients = 0
}

/// Bounds every client's contributions as the catalogue declares: per cell, the client's total
/// is clamped to the measure's cap; per measure and breakdown, a client keeps at most
/// `cellsPerClient` cells (the ones with the lowest cell index, a choice that depends on the
/// client's own data only).
func boundedCells(_ table: ExactTable) -> [BoundedCell] {
    let caps = Dictionary(uniqueKeysWithValues: table.measures.map { ($0.id, $0.contributionCap) })
    var totals: [Int64: Int] = [:]  // (client << 32 | cell) -> summed amount
    totals.reserveCapacity(table.contributions.count)
    for c in table.contributions {
        totals[Int64(c.client) << 32 | Int64(c.cell), default: 0] += Int(c.amount)
    }
    let keys = totals.keys.sorted()
    var cells = [BoundedCell](repeating: BoundedCell(), count: table.cells.count)
    var kept: [String: Int] = [:]
    var currentClient: Int64 = -1
    for key in keys {
        let client = key >> 32, cell = Int(key & 0xffff_ffff)
        if client != currentClient { kept.removeAll(keepingCapacity: true); currentClient = client }
        let info = table.cells[cell]
        let slot = info.measureID + "|" + info.groupType.rawValue
        guard kept[slot, default: 0] < info.groupType.cellsPerClient else { continue }
        kept[slot, default: 0] += 1
        let amount = min(totals[key]!, caps[info.measureID] ?? 1)
        guard amount > 0 else { continue }
        cells[cell].sum += amount
        cells[cell].clients += 1
    }
    return cells
}

/// The L1 sensitivity of a measure after bounding: cap × cells one client may touch.
func sensitivity(of measure: CountMeasure) -> Int {
    measure.contributionCap * measure.groups.map(\.cellsPerClient).reduce(0, +)
}
