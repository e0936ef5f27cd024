import ConfideModel

/// Collects the cells and contributions of one table.
struct TableBuilder {
    let name: TableName
    let histograms: [Histogram]
    let breakdowns: [GroupType]
    private(set) var cells: [ClassCell] = []
    /// Each histogram class's cells, by breakdown (its position in ``breakdowns``) and group:
    /// an add hashes its histogram and class once and each group once, instead of a whole
    /// ``ClassCell`` (three strings) per breakdown (1,000,000 clients: about a million adds a
    /// week, each to nine breakdowns).
    private var classes: [ClassKey: Int] = [:]
    private var groupCells: [[String: Int32]] = []
    private(set) var contributions: [Contribution] = []
    private var clients: [Pseudonym: Int32] = [:]
    /// The clients' pseudonyms, by number (the order they were first added in).
    private var clientNames: [Pseudonym] = []
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
            for (breakdown, groupType) in breakdowns.enumerated() where histogram.isPublished(by: groupType) {
                for group in groupType == .practice ? [Group.practiceName] : domains[groupType] ?? [] {
                    for cls in histogram.classes {
                        let key = ClassKey(histogram: histogram.id, cls: cls)
                        cell(group, breakdown: breakdown, of: key, at: classSlot(key))
                    }
                }
            }
        }
    }

    /// A histogram and class, the first level of the cell lookup.
    private struct ClassKey: Hashable {
        let histogram: String
        let cls: String
    }

    /// The first of the ``breakdowns`` slots of the class `key` in ``groupCells``.
    private mutating func classSlot(_ key: ClassKey) -> Int {
        if let slot = classes[key] { return slot }
        let slot = groupCells.count
        groupCells += Array(repeating: [:], count: breakdowns.count)
        classes[key] = slot
        return slot
    }

    /// The cell of `group` in breakdown `breakdown` of the class `key` (at `slot`, its
    /// ``classSlot(_:)``), made (at the end of ``cells``, so cells keep the order they are
    /// first met in) when it is new.
    @discardableResult
    private mutating func cell(_ group: String, breakdown: Int, of key: ClassKey, at slot: Int) -> Int32 {
        if let existing = groupCells[slot + breakdown][group] { return existing }
        let position = Int32(cells.count)
        cells.append(ClassCell(histogram: key.histogram, cls: key.cls, groupType: breakdowns[breakdown], group: group))
        groupCells[slot + breakdown][group] = position
        return position
    }

    private mutating func client(_ pseudonym: Pseudonym) -> Int32 {
        if let existing = clients[pseudonym] { return existing }
        let next = Int32(clients.count)
        clients[pseudonym] = next
        clientNames.append(pseudonym)
        return next
    }

    /// Adds what `part` collected (a builder of the same table and breakdowns, filled by
    /// other measures, perhaps on another thread) as if its adds had been made here after
    /// those already made: its clients and cells are numbered here in the order it first met
    /// them, so appending the parts of a week in the order of its measures builds, byte for
    /// byte, what adding them here one by one builds.
    mutating func append(_ part: TableBuilder) {
        var clientNumbers: [Int32] = []
        clientNumbers.reserveCapacity(part.clientNames.count)
        for pseudonym in part.clientNames { clientNumbers.append(client(pseudonym)) }
        var cellNumbers: [Int32] = []
        for key in part.cells {
            let cls = ClassKey(histogram: key.histogram, cls: key.cls)
            cellNumbers.append(cell(key.group, breakdown: breakdowns.firstIndex(of: key.groupType)!, of: cls, at: classSlot(cls)))
        }
        contributions.reserveCapacity(contributions.count + part.contributions.count)
        for contribution in part.contributions {
            contributions.append(Contribution(client: clientNumbers[Int(contribution.client)], cell: cellNumbers[Int(contribution.cell)],
                                              amount: contribution.amount))
        }
    }

    /// Adds `amount` from `client` to class `cls` of `histogram` for the practice and every
    /// breakdown whose group is known in `groups`; in a breakdown by contact without one, to
    /// ``Group/noContactName``.
    /// A histogram the table does not hold is skipped.
    mutating func add(_ histogram: String, _ cls: String, client pseudonym: Pseudonym, groups: Groups, amount: Int32 = 1) {
        guard held.contains(histogram) else { return }
        let who = client(pseudonym)
        let narrowed = narrowedHistograms[histogram]
        let key = ClassKey(histogram: histogram, cls: cls)
        let slot = classSlot(key)
        // A restricted client's groups are the practice alone: no breakdown counts it, not even
        // a contact breakdown's no-contact group.
        let practiceOnly = groups.isPracticeOnly
        for (breakdown, groupType) in breakdowns.enumerated() {
            guard let group = groups[groupType] ?? (Group.isContactBreakdown(groupType) && !practiceOnly ? Group.noContactName : nil),
                  narrowed?.isPublished(by: groupType) ?? true else { continue }
            let position = cell(group, breakdown: breakdown, of: key, at: slot)
            contributions.append(Contribution(client: who, cell: position, amount: amount))
        }
    }

    func build(weeksCovered: Int) -> ExactTable {
        ExactTable(name: name, histograms: histograms, cells: cells, contributions: contributions,
                   measures: measures, weeksCovered: weeksCovered)
    }
}
