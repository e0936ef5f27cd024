import ConfideModel

/// Collects the cells and contributions of one table.
struct TableBuilder {
    let name: TableName
    let histograms: [Histogram]
    let breakdowns: [GroupType]
    private(set) var cells: [ClassCell] = []
    private var index: [ClassCell: Int32] = [:]
    private(set) var contributions: [Contribution] = []
    private var clients: [String: Int32] = [:]
    /// Histograms published by fewer breakdowns than the table's, by id (narrowed by the
    /// catalogue, or without contact).
    private let narrowedHistograms: [String: Histogram]

    let measures: [Measure]
    /// The ids of ``histograms``.
    private let held: Set<String>

    /// A table of the weekly catalogue, for the practice and `breakdowns`.
    init(name: TableName, breakdowns: [GroupType]) {
        self.init(name: name, histograms: Catalogue.histograms.filter { $0.table == name },
                  measures: Catalogue.measures.filter { $0.table == name }, breakdowns: [.practice] + breakdowns.filter { $0 != .practice })
    }

    /// A table of `histograms` and `measures` for exactly `breakdowns` (a supervision table has
    /// the therapist breakdown only).
    init(name: TableName, histograms: [Histogram], measures: [Measure], breakdowns: [GroupType]) {
        self.name = name
        self.histograms = histograms.filter { $0.table == name }
        self.measures = measures.filter { $0.table == name }
        self.breakdowns = breakdowns
        held = Set(self.histograms.map(\.id))
        narrowedHistograms = Dictionary(uniqueKeysWithValues: histograms.filter { $0.onlyBreakdowns != nil || !$0.hasContact }.map { ($0.id, $0) })
    }

    /// Declares every class of every histogram for the public groups of each breakdown, so
    /// that they are published (perhaps as zero or suppressed) even when no client contributes.
    mutating func declare(_ domains: [GroupType: [String]]) {
        for histogram in histograms {
            for groupType in breakdowns where histogram.isPublished(by: groupType) {
                for group in groupType == .practice ? [Group.practiceName] : domains[groupType] ?? [] {
                    for cls in histogram.classes { cell(ClassCell(histogram: histogram.id, cls: cls, groupType: groupType, group: group)) }
                }
            }
        }
    }

    @discardableResult
    private mutating func cell(_ key: ClassCell) -> Int32 {
        if let existing = index[key] { return existing }
        let position = Int32(cells.count)
        cells.append(key)
        index[key] = position
        return position
    }

    private mutating func client(_ pseudonym: String) -> Int32 {
        if let existing = clients[pseudonym] { return existing }
        let next = Int32(clients.count)
        clients[pseudonym] = next
        return next
    }

    /// Adds `amount` from `client` to class `cls` of `histogram` for the practice and every
    /// breakdown whose group is known in `groups`; in a breakdown by contact without one, to
    /// ``Group/noContactName``.
    /// A histogram the table does not hold is skipped.
    mutating func add(_ histogram: String, _ cls: String, client pseudonym: String, groups: [GroupType: String], amount: Int32 = 1) {
        guard held.contains(histogram) else { return }
        let who = client(pseudonym)
        let narrowed = narrowedHistograms[histogram]
        // A restricted client's groups are the practice alone: no breakdown counts it, not even
        // a contact breakdown's no-contact group.
        let practiceOnly = groups.count == 1 && groups[.practice] != nil
        for groupType in breakdowns {
            guard let group = groups[groupType] ?? (Group.isContactBreakdown(groupType) && !practiceOnly ? Group.noContactName : nil),
                  narrowed?.isPublished(by: groupType) ?? true else { continue }
            let position = cell(ClassCell(histogram: histogram, cls: cls, groupType: groupType, group: group))
            contributions.append(Contribution(client: who, cell: position, amount: amount))
        }
    }

    func build(weeksCovered: Int) -> ExactTable {
        ExactTable(name: name, histograms: histograms, cells: cells, contributions: contributions,
                   measures: measures, weeksCovered: weeksCovered)
    }
}
