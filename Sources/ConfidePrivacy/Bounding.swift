import ConfideMetrics

/// A cell after contribution bounding: its bounded sum and its distinct clients.
struct BoundedCell {
    var sum = 0
    var clients = 0
}

/// A budget slot: one budget group published by one breakdown. Each slot is charged once;
/// within it one client's contributions are bounded jointly.
struct BudgetSlot: Hashable {
    let budgetGroup: String
    let groupType: GroupType

    /// `appointments/therapist`: the key of `[privacy.weights]`.
    var id: String { budgetGroup + "/" + groupType.rawValue }
}

/// Bounds every client's contributions as the catalogue declares. Within each budget slot a
/// client keeps at most `cellsPerClient` groups (the first in cell order, a choice that depends
/// on the client's own data only) and adds at most the measure's cap in total, allocated in
/// cell order.
func boundedCells(_ table: ExactTable) -> [BoundedCell] {
    let measures = Dictionary(uniqueKeysWithValues: table.measures.map { ($0.id, $0) })
    var totals: [Int64: Int] = [:]  // (client << 32 | cell) -> summed amount
    totals.reserveCapacity(table.contributions.count)
    for c in table.contributions {
        totals[Int64(c.client) << 32 | Int64(c.cell), default: 0] += Int(c.amount)
    }
    var cells = [BoundedCell](repeating: BoundedCell(), count: table.cells.count)
    var groupsKept: [BudgetSlot: [String]] = [:]
    var used: [BudgetSlot: Int] = [:]
    var currentClient: Int64 = -1
    for key in totals.keys.sorted() {
        let client = key >> 32, cell = Int(key & 0xffff_ffff)
        if client != currentClient {
            groupsKept.removeAll(keepingCapacity: true)
            used.removeAll(keepingCapacity: true)
            currentClient = client
        }
        let info = table.cells[cell]
        guard let measure = measures[info.measureID] else { continue }
        let slot = BudgetSlot(budgetGroup: measure.budgetGroup, groupType: info.groupType)
        var kept = groupsKept[slot, default: []]
        if !kept.contains(info.group) {
            guard kept.count < info.groupType.cellsPerClient else { continue }
            kept.append(info.group)
            groupsKept[slot] = kept
        }
        let amount = min(totals[key]!, measure.contributionCap - used[slot, default: 0])
        guard amount > 0 else { continue }
        used[slot, default: 0] += amount
        cells[cell].sum += amount
        cells[cell].clients += 1
    }
    return cells
}

/// The budget slots of a release's measures, in publication order.
func budgetSlots(_ measures: [CountMeasure]) -> [BudgetSlot] {
    var slots: [BudgetSlot] = []
    for measure in measures {
        for groupType in measure.groups {
            let slot = BudgetSlot(budgetGroup: measure.budgetGroup, groupType: groupType)
            if !slots.contains(slot) { slots.append(slot) }
        }
    }
    return slots
}

/// The L1 sensitivity of a slot after bounding: cap × groups one client may touch.
func sensitivity(of measure: CountMeasure, in groupType: GroupType) -> Int {
    measure.contributionCap * groupType.cellsPerClient
}
