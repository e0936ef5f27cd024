import ConfideModel

/// Collects the cells and contributions of one table.
struct TableBuilder {
    let name: TableName
    private(set) var cells: [CellKey] = []
    private var index: [CellKey: Int32] = [:]
    private(set) var contributions: [Contribution] = []
    private var clients: [String: Int32]

    init(name: TableName, clients: [String: Int32] = [:]) {
        self.name = name
        self.clients = clients
    }

    /// Declares a cell, so that it is published (perhaps as zero or suppressed) even when no
    /// client contributes.
    @discardableResult
    mutating func cell(_ key: CellKey) -> Int32 {
        if let existing = index[key] { return existing }
        let position = Int32(cells.count)
        cells.append(key)
        index[key] = position
        return position
    }

    /// The dense index of a client pseudonym.
    mutating func client(_ pseudonym: String) -> Int32 {
        if let existing = clients[pseudonym] { return existing }
        let next = Int32(clients.count)
        clients[pseudonym] = next
        return next
    }

    /// Adds `amount` from `client` to the measure for the practice and, where the measure is
    /// broken down by therapist, for `therapist`.
    mutating func add(_ measure: CountMeasure, client pseudonym: String, therapist: String?, amount: Int32 = 1) {
        let who = client(pseudonym)
        for group in measure.groups {
            let key: CellKey
            switch group {
            case .practice: key = CellKey(groupType: .practice, group: "all", measureID: measure.id)
            case .therapist:
                guard let therapist else { continue }
                key = CellKey(groupType: .therapist, group: therapist, measureID: measure.id)
            }
            contributions.append(Contribution(client: who, cell: cell(key), amount: amount))
        }
    }

    func build(measures: [CountMeasure], rates: [RateMeasure]) -> ExactTable {
        ExactTable(name: name, cells: cells, contributions: contributions, measures: measures, rates: rates)
    }
}
