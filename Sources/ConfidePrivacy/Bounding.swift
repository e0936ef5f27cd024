import ConfideMetrics

/// A cell after contribution bounding: its bounded sum and its distinct clients.
struct BoundedCell {
    var sum = 0
    var clients = 0
}

/// A budget slot: one histogram published by one breakdown. Each slot is charged once;
/// within it one client's contributions are bounded jointly.
struct BudgetSlot: Hashable {
    let histogram: String
    let groupType: GroupType

    /// `appointments/therapist`: the key of the weights.
    var id: String { histogram + "/" + groupType.rawValue }
}

/// The bounded contributions of a table: per cell the sum and distinct clients, and per cell
/// the clients that reached it (for distinct-client counts over several classes).
struct BoundedTable {
    var cells: [BoundedCell]
    var clientsByCell: [[Int32]]
}

/// Bounds every client's contributions as the catalogue declares. Within each budget slot a
/// client keeps at most `cellsPerClient` groups (the first in cell order, a choice that
/// depends on the client's own data only) and adds at most the histogram's cap in total,
/// allocated in cell order.
func bound(_ table: ExactTable, keepClients: Bool = false) -> BoundedTable {
    let caps = Dictionary(uniqueKeysWithValues: table.histograms.map { ($0.id, $0.cap) })
    var totals: [Int64: Int] = [:]  // (client << 32 | cell) -> summed amount
    totals.reserveCapacity(table.contributions.count)
    for c in table.contributions {
        totals[Int64(c.client) << 32 | Int64(c.cell), default: 0] += Int(c.amount)
    }
    var result = BoundedTable(cells: [BoundedCell](repeating: BoundedCell(), count: table.cells.count),
                              clientsByCell: keepClients ? [[Int32]](repeating: [], count: table.cells.count) : [])
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
        let slot = BudgetSlot(histogram: info.histogram, groupType: info.groupType)
        var kept = groupsKept[slot, default: []]
        if !kept.contains(info.group) {
            guard kept.count < info.groupType.cellsPerClient else { continue }
            kept.append(info.group)
            groupsKept[slot] = kept
        }
        let amount = min(totals[key]!, (caps[info.histogram] ?? 1) - used[slot, default: 0])
        guard amount > 0 else { continue }
        used[slot, default: 0] += amount
        result.cells[cell].sum += amount
        result.cells[cell].clients += 1
        if keepClients { result.clientsByCell[cell].append(Int32(client)) }
    }
    return result
}

/// The budget slots of a table, in cell order.
func budgetSlots(_ table: ExactTable) -> [BudgetSlot] {
    var seen = Set<BudgetSlot>()
    var slots: [BudgetSlot] = []
    for cell in table.cells {
        let slot = BudgetSlot(histogram: cell.histogram, groupType: cell.groupType)
        if seen.insert(slot).inserted { slots.append(slot) }
    }
    return slots
}
