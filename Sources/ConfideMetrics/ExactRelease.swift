public import ConfideModel

/// One cell of a histogram: a class for one group of one breakdown.
public struct ClassCell: Sendable, Hashable, Codable {
    /// The histogram.
    public let histogram: String
    /// The class.
    public let cls: String
    /// The breakdown.
    public let groupType: GroupType
    /// The group within it (`all` for the practice).
    public let group: String

    /// Creates a cell.
    public init(histogram: String, cls: String, groupType: GroupType, group: String) {
        self.histogram = histogram
        self.cls = cls
        self.groupType = groupType
        self.group = group
    }
}

/// What one client adds to one cell, before bounding. Clients are dense indexes local to one
/// computation (not pseudonyms), so a contribution list carries no identifier.
public struct Contribution: Sendable, Equatable {
    /// The client (dense index).
    public let client: Int32
    /// The index of the cell in ``ExactTable/cells``.
    public let cell: Int32
    /// How much the client adds.
    public let amount: Int32

    /// Creates a contribution.
    public init(client: Int32, cell: Int32, amount: Int32) {
        self.client = client
        self.cell = cell
        self.amount = amount
    }
}

/// The exact contributions to one table of one release. Lives in memory only: it is never
/// written to the store, a log or a file; only `ConfidePrivacy` turns it into publishable
/// values.
public struct ExactTable: Sendable {
    /// The table.
    public let name: TableName
    /// The histograms of the table.
    public let histograms: [Histogram]
    /// Every cell that may be published (the domain is public: classes × groups).
    public let cells: [ClassCell]
    /// Every client's contributions.
    public let contributions: [Contribution]
    /// The measures published from the histograms.
    public let measures: [Measure]
    /// Weeks of data the contributions cover (1 for a weekly draw, the outcome window when
    /// computed exactly for disclosure control).
    public let weeksCovered: Int

    /// Creates a table.
    public init(name: TableName, histograms: [Histogram], cells: [ClassCell], contributions: [Contribution], measures: [Measure], weeksCovered: Int = 1) {
        self.name = name
        self.histograms = histograms
        self.cells = cells
        self.contributions = contributions
        self.measures = measures
        self.weeksCovered = weeksCovered
    }
}

/// Everything computed for one period, exactly.
public struct ExactRelease: Sendable {
    /// The ISO week.
    public let period: ISOWeek
    /// The definitions version.
    public let definitionVersion: String
    /// The tables.
    public let tables: [ExactTable]
    /// The supervision period a therapist release covers (``period`` is its last week); nil for
    /// a weekly release.
    public let supervision: SupervisionPeriod?

    /// Creates a release.
    public init(period: ISOWeek, definitionVersion: String = Catalogue.definitionVersion, tables: [ExactTable],
                supervision: SupervisionPeriod? = nil) {
        self.period = period
        self.definitionVersion = definitionVersion
        self.tables = tables
        self.supervision = supervision
    }

    /// The release's key in the store and the ledger: the ISO week, or the supervision period.
    public var label: String { supervision?.description ?? period.description }

    /// A canonical serialisation of the inputs, to be keyed-hashed by the caller so that a
    /// re-run can tell whether the period's data changed. Never store it unkeyed.
    public var canonicalBytes: [UInt8] {
        var text = "\(label)|\(definitionVersion)\n"
        for table in tables {
            text += "#\(table.name.rawValue)/\(table.weeksCovered)\n"
            for cell in table.cells { text += "\(cell.histogram)/\(cell.cls)/\(cell.groupType.rawValue)/\(cell.group)\n" }
            let sorted = table.contributions.sorted { ($0.cell, $0.client, $0.amount) < ($1.cell, $1.client, $1.amount) }
            for c in sorted { text += "\(c.cell):\(c.client):\(c.amount)\n" }
        }
        return Array(text.utf8)
    }
}
