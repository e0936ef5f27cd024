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
        // Written straight into bytes (no `String` per line): at 1,000,000 clients a week has
        // hundreds of thousands of contributions. The text is that of the line comments.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + tables.map { $0.cells.count * 48 + $0.contributions.count * 16 }.reduce(0, +))
        bytes += "\(label)|\(definitionVersion)\n".utf8
        for table in tables {
            bytes += "#\(table.name.rawValue)/\(table.weeksCovered)\n".utf8
            // histogram/class/group type/group
            for cell in table.cells {
                bytes += cell.histogram.utf8; bytes.append(UInt8(ascii: "/"))
                bytes += cell.cls.utf8; bytes.append(UInt8(ascii: "/"))
                bytes += cell.groupType.rawValue.utf8; bytes.append(UInt8(ascii: "/"))
                bytes += cell.group.utf8; bytes.append(UInt8(ascii: "\n"))
            }
            // cell:client:amount, by cell, client and amount
            let sorted = table.contributions.sorted { ($0.cell, $0.client, $0.amount) < ($1.cell, $1.client, $1.amount) }
            for c in sorted {
                Self.appendDecimal(c.cell, to: &bytes); bytes.append(UInt8(ascii: ":"))
                Self.appendDecimal(c.client, to: &bytes); bytes.append(UInt8(ascii: ":"))
                Self.appendDecimal(c.amount, to: &bytes); bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }

    /// Appends `value` in decimal, as `"\(value)"` writes it.
    private static func appendDecimal(_ value: Int32, to bytes: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
}
