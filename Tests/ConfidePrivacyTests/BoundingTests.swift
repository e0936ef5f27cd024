import ConfideMetrics
@testable import ConfidePrivacy
import Testing

/// The contribution bounding rule written the plain way (a dictionary per client and cell,
/// its keys sorted, slots and groups compared as strings): the oracle for the linear
/// `bound(_:keepClients:)`.
private func plainBound(_ table: ExactTable) -> (sums: [Int], clients: [Int], clientsByCell: [[Int32]]) {
    let caps = Dictionary(uniqueKeysWithValues: table.histograms.map { ($0.id, $0.cap) })
    var totals: [Int64: Int] = [:]
    for c in table.contributions { totals[Int64(c.client) << 32 | Int64(c.cell), default: 0] += Int(c.amount) }
    var sums = [Int](repeating: 0, count: table.cells.count)
    var clients = sums
    var byCell = [[Int32]](repeating: [], count: table.cells.count)
    var kept: [String: [String]] = [:]
    var used: [String: Int] = [:]
    var current: Int64 = -1
    for key in totals.keys.sorted() {
        let client = key >> 32, cell = Int(key & 0xffff_ffff)
        if client != current { kept = [:]; used = [:]; current = client }
        let info = table.cells[cell]
        let slot = info.histogram + "/" + info.groupType.rawValue
        if !kept[slot, default: []].contains(info.group) {
            guard kept[slot, default: []].count < info.groupType.cellsPerClient else { continue }
            kept[slot, default: []].append(info.group)
        }
        let amount = min(totals[key]!, caps[info.histogram]! - used[slot, default: 0])
        guard amount > 0 else { continue }
        used[slot, default: 0] += amount
        sums[cell] += amount
        clients[cell] += 1
        byCell[cell].append(Int32(client))
    }
    return (sums, clients, byCell)
}

@Suite struct BoundingTests {
    /// Random tables over two histograms with practice, therapist and modality cells; clients
    /// contribute to several cells, repeatedly, with amounts over the caps.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func linearBoundingEqualsThePlainRule(seed: UInt64) {
        var random = TestGenerator(state: seed)
        let histograms = [Catalogue.histogram("appointments")!, Catalogue.histogram("outcomes")!]
        var cells: [ClassCell] = []
        for histogram in histograms {
            for cls in histogram.classes.prefix(3) {
                cells.append(ClassCell(histogram: histogram.id, cls: cls, groupType: .practice, group: "all"))
                for therapist in ["T1", "T2", "T3", "T4"] {
                    cells.append(ClassCell(histogram: histogram.id, cls: cls, groupType: .therapist, group: therapist))
                }
                for modality in ["cbt", "emdr"] {
                    cells.append(ClassCell(histogram: histogram.id, cls: cls, groupType: .modality, group: modality))
                }
            }
        }
        let clientCount = Int32(1 + random.next() % 300)
        let contributions = (0..<Int(random.next() % 4000)).map { _ in
            Contribution(client: Int32(random.next() % UInt64(clientCount)) + 7,
                         cell: Int32(random.next() % UInt64(cells.count)),
                         amount: Int32(1 + random.next() % 4))
        }
        let table = ExactTable(name: .caseload, histograms: histograms, cells: cells, contributions: contributions, measures: [])
        let expected = plainBound(table)
        let bounded = bound(table, keepClients: true)
        #expect(bounded.cells.map(\.sum) == expected.sums)
        #expect(bounded.cells.map(\.clients) == expected.clients)
        #expect(bounded.clientsByCell == expected.clientsByCell)
        #expect(bound(table).clientsByCell.isEmpty)
        // The rule does bind: some client lost contributions to the caps or the one-group limit.
        if contributions.count > 1000 {
            #expect(bounded.cells.map(\.sum).reduce(0, +) < contributions.map { Int($0.amount) }.reduce(0, +))
        }
    }

    /// Client indexes far apart (not the dense ones the metrics give) take the sorting path
    /// and bound exactly as the plain rule does.
    @Test func sparseClientIndexesBoundLikeThePlainRule() {
        var random = TestGenerator(state: 99)
        let histogram = Catalogue.histogram("appointments")!
        let cells = histogram.classes.prefix(3).flatMap { cls in
            ["all", "T1", "T2"].map { ClassCell(histogram: histogram.id, cls: cls, groupType: $0 == "all" ? .practice : .therapist, group: $0) }
        }
        let contributions = (0..<2000).map { _ in
            Contribution(client: Int32(random.next() % 300) * 100_003, cell: Int32(random.next() % UInt64(cells.count)),
                         amount: Int32(1 + random.next() % 3))
        }
        let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions, measures: [])
        let expected = plainBound(table)
        let bounded = bound(table, keepClients: true)
        #expect(bounded.cells.map(\.sum) == expected.sums)
        #expect(bounded.clientsByCell == expected.clientsByCell)
    }

    @Test func anEmptyTableBoundsToZeros() {
        let histogram = Catalogue.histogram("appointments")!
        let cells = [ClassCell(histogram: histogram.id, cls: "attended", groupType: .practice, group: "all")]
        let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: [], measures: [])
        #expect(bound(table).cells.map(\.sum) == [0])
    }
}
