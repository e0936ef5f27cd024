import ConfideModel
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
///
/// Linear in the contributions: they are grouped by client with a counting sort, and each
/// client's few contributions are sorted by cell; slots, groups and caps are resolved to
/// integers once per cell, not per contribution. (At 5.4 million contributions this took
/// 0.2 s instead of 3 s with a dictionary keyed by client and cell, sorted, and slots keyed
/// by strings: `confide-bench dp-counts-stage`, docs/performance.md.)
func bound(_ table: ExactTable, keepClients: Bool = false) -> BoundedTable {
    let layout = CellLayout(table)
    var result = BoundedTable(cells: [BoundedCell](repeating: BoundedCell(), count: table.cells.count),
                              clientsByCell: keepClients ? [[Int32]](repeating: [], count: table.cells.count) : [])
    let byClient = groupedByClient(table.contributions)
    var state = SlotState(slots: layout.slotCount)
    var mine: [(cell: Int32, amount: Int)] = []
    var first = 0
    while first < byClient.count {
        let client = byClient[first].client
        var end = first
        mine.removeAll(keepingCapacity: true)
        while end < byClient.count, byClient[end].client == client {
            mine.append((byClient[end].cell, Int(byClient[end].amount)))
            end += 1
        }
        first = end
        mine.sort { $0.cell < $1.cell }
        state.reset()
        var i = 0
        while i < mine.count {
            let cell = Int(mine[i].cell)
            var total = 0
            while i < mine.count, Int(mine[i].cell) == cell { total += mine[i].amount; i += 1 }
            let slot = layout.slot[cell]
            guard state.keep(group: layout.group[cell], in: slot, limit: layout.cellsPerClient[cell]) else { continue }
            let amount = min(total, layout.cap[cell] - state.used[slot])
            guard amount > 0 else { continue }
            state.used[slot] += amount
            result.cells[cell].sum += amount
            result.cells[cell].clients += 1
            if keepClients { result.clientsByCell[cell].append(client) }
        }
    }
    return result
}

/// `contributions` ordered by client (in ascending order; within a client, any order): a
/// counting sort when the clients are dense indexes, as the metrics give them, else a sort.
private func groupedByClient(_ contributions: [Contribution]) -> [Contribution] {
    guard let first = contributions.first else { return [] }
    var low = first.client, high = first.client
    for c in contributions { low = min(low, c.client); high = max(high, c.client) }
    let range = Int(high) - Int(low) + 1
    guard range <= 2 * contributions.count + 1024 else { return contributions.sorted { $0.client < $1.client } }
    var next = [Int](repeating: 0, count: range + 1)
    for c in contributions { next[Int(c.client - low) + 1] += 1 }
    for i in 1..<next.count { next[i] += next[i - 1] }
    var grouped = [Contribution](repeating: first, count: contributions.count)
    for c in contributions {
        let slot = Int(c.client - low)
        grouped[next[slot]] = c
        next[slot] += 1
    }
    return grouped
}

/// The cells of a table resolved to integers: each cell's budget slot, its group's index
/// within that slot, the histogram's cap and the breakdown's groups per client.
private struct CellLayout {
    var slot: [Int] = []
    var group: [Int32] = []
    var cap: [Int] = []
    var cellsPerClient: [Int] = []
    var slotCount = 0

    init(_ table: ExactTable) {
        let caps = Dictionary(table.histograms.map { ($0.id, $0.cap) }, uniquingKeysWith: { first, _ in first })
        var slots: [BudgetSlot: Int] = [:]
        var groups: [BudgetSlot: [String: Int32]] = [:]
        for info in table.cells {
            let key = BudgetSlot(histogram: info.histogram, groupType: info.groupType)
            let index = slots[key] ?? slots.count
            slots[key] = index
            let known = groups[key, default: [:]]
            let groupIndex = known[info.group] ?? Int32(known.count)
            groups[key, default: [:]][info.group] = groupIndex
            slot.append(index)
            group.append(groupIndex)
            cap.append(caps[info.histogram] ?? 1)
            cellsPerClient.append(info.groupType.cellsPerClient)
        }
        slotCount = slots.count
    }
}

/// One client's use of each budget slot: the groups kept and the amount added so far. Reset
/// between clients by clearing only the slots the client touched.
private struct SlotState {
    var used: [Int]
    private var kept: [[Int32]]
    private var touched: [Int] = []

    init(slots: Int) {
        used = [Int](repeating: 0, count: slots)
        kept = [[Int32]](repeating: [], count: slots)
    }

    mutating func reset() {
        for slot in touched {
            used[slot] = 0
            kept[slot].removeAll(keepingCapacity: true)
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Whether the client may add to `group` of `slot`: a group already kept, or a new one
    /// while fewer than `limit` are kept (then it is kept).
    mutating func keep(group: Int32, in slot: Int, limit: Int) -> Bool {
        if kept[slot].contains(group) { return true }
        guard kept[slot].count < limit else { return false }
        if kept[slot].isEmpty && used[slot] == 0 { touched.append(slot) }
        kept[slot].append(group)
        return true
    }
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
