import ConfideMetrics
import ConfideModel
import Testing

/// `ExactRelease.canonicalBytes` is keyed-hashed into `releases.data_hash`; a stored release
/// compares its hash with today's, so the bytes must stay exactly the text they always were.
@Suite struct CanonicalBytesTests {
    /// The text as it was first defined (one `String` per line).
    func reference(_ release: ExactRelease) -> [UInt8] {
        var text = "\(release.label)|\(release.definitionVersion)\n"
        for table in release.tables {
            text += "#\(table.name.rawValue)/\(table.weeksCovered)\n"
            for cell in table.cells { text += "\(cell.histogram)/\(cell.cls)/\(cell.groupType.rawValue)/\(cell.group)\n" }
            let sorted = table.contributions.sorted { ($0.cell, $0.client, $0.amount) < ($1.cell, $1.client, $1.amount) }
            for c in sorted { text += "\(c.cell):\(c.client):\(c.amount)\n" }
        }
        return Array(text.utf8)
    }

    @Test func theBytesAreTheTextTheyAlwaysWere() throws {
        let cells = [ClassCell(histogram: "appointments", cls: "attended", groupType: .practice, group: "all"),
                     ClassCell(histogram: "outcomes", cls: "recovered", groupType: .ethnicity, group: "mixed/other é")]
        let edge: [Int32] = [0, 1, 9, 10, 99, 100, 12_345, Int32.max, -1, -10, Int32.min]
        let contributions = edge.enumerated().map { Contribution(client: $0.element, cell: Int32($0.offset % 2), amount: edge[edge.count - 1 - $0.offset]) }
            + [Contribution(client: 3, cell: 1, amount: 1), Contribution(client: 3, cell: 1, amount: 0)]
        let table = ExactTable(name: .outcomes, histograms: [], cells: cells, contributions: contributions, measures: [], weeksCovered: 13)
        let week = ExactRelease(period: ISOWeek("2026-W10")!, tables: [table, ExactTable(name: .caseload, histograms: [], cells: [],
                                                                                         contributions: [], measures: [])])
        #expect(week.canonicalBytes == reference(week))
        let period = ExactRelease(period: ISOWeek("2026-W12")!, tables: [table], supervision: SupervisionPeriod(containing: ISOWeek("2026-W12")!, weeks: 4))
        #expect(period.canonicalBytes == reference(period))

        // A computed release.
        let db = try store([("r1", "c1", "2026-03-02", nil), ("r2", "c2", "2025-12-01", "2026-03-05")],
                           [("a1", "r1", "T1", "2026-03-03", "attended"), ("a2", "r2", "T2", "2026-03-04", "attended"),
                            ("a3", "r2", "T2", "2026-01-04", "attended")])
        let computed = try WeeklyMetrics(db: db).compute(week: ISOWeek("2026-W10")!, outcomeWeeks: 13)
        #expect(!computed.tables.allSatisfy { $0.contributions.isEmpty })
        #expect(computed.canonicalBytes == reference(computed))
    }
}
