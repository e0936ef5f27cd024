public import ConfideModel

/// Whether a cell's value is shown.
public enum CellStatus: String, Sendable, Codable {
    /// The value is published.
    case published
    /// The value is withheld; the cell shows why.
    case suppressed
}

/// How a release was protected.
public enum ProtectionMode: String, Sendable, Codable, CaseIterable {
    /// Differential privacy: exact discrete Laplace noise, then post-processing only.
    case dp
    /// NHS-style disclosure control: small counts suppressed, the rest rounded to 5.
    case sdc
}

/// One published cell. Its initialiser is behind the `Protection` SPI: only `ConfidePrivacy`'s
/// `Protector` (and the release codec restoring a stored release) can create one, so a value
/// that reaches a renderer has been through protection.
public struct ProtectedCell: Sendable, Equatable {
    /// The table.
    public let table: TableName
    /// The breakdown.
    public let groupType: GroupType
    /// The group (`all` for the practice).
    public let group: String
    /// The measure's stable id.
    public let measureID: String
    /// The measure's human name.
    public let measureName: String
    /// True for a percentage, false for a count or a mean.
    public let isRate: Bool
    /// True for a mean (shown with one decimal).
    public var isMean: Bool { measureID.hasPrefix("mean_") || measureID.hasPrefix("median_") }
    /// The group as one value.
    public var groupKey: Group { Group(groupType, group) }
    /// The published value; nil when suppressed.
    public let value: Double?
    /// The lower end of the 90% interval; nil when suppressed.
    public let intervalLow: Double?
    /// The upper end of the 90% interval; nil when suppressed.
    public let intervalHigh: Double?
    /// Published or suppressed.
    public let status: CellStatus
    /// Why a suppressed cell is suppressed (one line for the report); nil when published.
    public let reason: String?

    /// Creates a cell (the `Protection` SPI: `Protector` and the codec only).
    @_spi(Protection)
    public init(table: TableName, groupType: GroupType, group: String, measureID: String, measureName: String, isRate: Bool,
         value: Double?, intervalLow: Double?, intervalHigh: Double?, status: CellStatus, reason: String?) {
        self.table = table
        self.groupType = groupType
        self.group = group
        self.measureID = measureID
        self.measureName = measureName
        self.isRate = isRate
        self.value = value
        self.intervalLow = intervalLow
        self.intervalHigh = intervalHigh
        self.status = status
        self.reason = reason
    }
}

/// One noisy histogram cell of a differentially private release, kept in the store (never
/// published as such) so that later releases can sum windows from it by post-processing.
public struct NoisyCell: Sendable, Equatable {
    /// The histogram.
    public let histogram: String
    /// The class.
    public let cls: String
    /// The breakdown.
    public let groupType: GroupType
    /// The group.
    public let group: String
    /// The noisy value (not clamped).
    public let value: Int64
    /// The noise scale numerator t of t/s.
    public let t: UInt64
    /// The noise scale denominator s of t/s.
    public let s: UInt64

    /// Creates a noisy cell (the `Protection` SPI: `Protector` and the codec only).
    @_spi(Protection)
    public init(histogram: String, cls: String, groupType: GroupType, group: String, value: Int64, t: UInt64, s: UInt64) {
        self.histogram = histogram
        self.cls = cls
        self.groupType = groupType
        self.group = group
        self.value = value
        self.t = t
        self.s = s
    }
}

/// The privacy parameters of one budget slot (a histogram by one breakdown) in a release.
public struct MeasureParameters: Sendable, Equatable {
    /// The slot id, `histogram/breakdown`.
    public let measureID: String
    /// The table.
    public let table: TableName
    /// The ε spent on this measure (dp), as a decimal rounded to six places.
    public var epsilon: String { exactEpsilon?.description ?? "0" }
    /// The ε spent on this measure (dp) as the exact rational ε·w/W the noise scale was
    /// computed from; nil in sdc mode.
    public let exactEpsilon: Epsilon?
    /// The L1 sensitivity after contribution bounding.
    public let sensitivity: Int
    /// The noise scale Δ/ε (dp), or 0 (sdc).
    public let scale: Double
    /// The most one client adds to one cell.
    public let contributionCap: Int

    /// Creates a slot's parameters (the `Protection` SPI: `Protector` and the codec only).
    @_spi(Protection)
    public init(measureID: String, table: TableName, exactEpsilon: Epsilon?, sensitivity: Int, scale: Double, contributionCap: Int) {
        self.measureID = measureID
        self.table = table
        self.exactEpsilon = exactEpsilon
        self.sensitivity = sensitivity
        self.scale = scale
        self.contributionCap = contributionCap
    }
}

/// Everything published for one period, protected. Created only by `ConfidePrivacy`'s
/// `Protector` or restored from the store of releases by ``ReleaseCodec`` (both behind SPIs
/// that `ConfidePublish` does not import).
public struct ProtectedRelease: Sendable, Equatable {
    /// The ISO week, `YYYY-Www`.
    public let period: String
    /// The Monday, `YYYY-MM-DD`.
    public let periodStart: String
    /// The Sunday, `YYYY-MM-DD`.
    public let periodEnd: String
    /// The protection mode.
    public let mode: ProtectionMode
    /// The ε every client is charged by the release, its state slots (0 in sdc mode), as a
    /// decimal; ``charge`` has the per-event part.
    public let epsilon: String
    /// What the release costs one client, by kind of slot.
    public let charge: ReleaseCharge
    /// The δ charged (0 for pure DP).
    public let delta: Double
    /// The smallest number of clients a published cell may rest on.
    public let minClients: Int
    /// The metric definitions version.
    public let definitionVersion: String
    /// Every cell, in publication order.
    public let cells: [ProtectedCell]
    /// Per-slot parameters.
    public let parameters: [MeasureParameters]
    /// The noisy histogram cells (dp only), for windows summed by later releases.
    public let noisyCells: [NoisyCell]
    /// Weeks each table's figures cover, by table name.
    public let weeksCovered: [String: Int]

    /// Creates a release (the `Protection` SPI: `Protector` and the codec only).
    @_spi(Protection)
    public init(period: String, periodStart: String, periodEnd: String, mode: ProtectionMode, epsilon: String,
                charge: ReleaseCharge? = nil, delta: Double,
                minClients: Int, definitionVersion: String, cells: [ProtectedCell], parameters: [MeasureParameters],
                noisyCells: [NoisyCell], weeksCovered: [String: Int]) {
        self.period = period
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.mode = mode
        self.epsilon = epsilon
        // A release stored before charges were kept: all of it was charged per release.
        self.charge = charge ?? ReleaseCharge(perRelease: Epsilon(epsilon), perEvent: [:], eventsPerYear: 0)
        self.delta = delta
        self.minClients = minClients
        self.definitionVersion = definitionVersion
        self.cells = cells
        self.parameters = parameters
        self.noisyCells = noisyCells
        self.weeksCovered = weeksCovered
    }

    /// The cells of one table.
    public func cells(in table: TableName) -> [ProtectedCell] { cells.filter { $0.table == table } }

    /// The cells of one group (the practice, one therapist, …), in publication order.
    public func cells(of group: Group) -> [ProtectedCell] { cells.filter { $0.groupType == group.type && $0.group == group.name } }

    /// The practice-wide cell of `measureID`, if any.
    public func practiceCell(_ measureID: String) -> ProtectedCell? {
        cells.first { $0.groupType == .practice && $0.measureID == measureID }
    }

    /// Weeks the figures of `table` cover (1 when the table is absent).
    public func weeksCovered(_ table: TableName) -> Int { weeksCovered[table.rawValue] ?? 1 }

    /// The ISO weeks the release's figures rest on: from the first week of its longest window
    /// to its own week. A function of the release's public parameters (its period and the
    /// weeks its tables cover), never of the data.
    public var dataWindow: (first: String, last: String) {
        let longest = weeksCovered.values.max() ?? 1
        guard let week = ISOWeek(period) else { return (period, period) }
        return (week.adding(weeks: -(max(longest, 1) - 1)).description, period)
    }

    /// True for a supervision release: therapist figures of a period of weeks (its ``period``
    /// is `YYYY-Www/YYYY-Www`, the first and last week).
    public var isSupervision: Bool { period.contains("/") }

    /// Weeks from ``periodStart`` to ``periodEnd``.
    public var weekCount: Int {
        guard let start = Day(iso: periodStart), let end = Day(iso: periodEnd) else { return 1 }
        return (start.days(to: end) + 1) / 7
    }

    /// The first day the figures of `table` cover: the period's first day, or for a supervision
    /// release's outcomes (a window of periods) the first day of the window's first week.
    /// Weekly releases state their week (the report says which window each table covers).
    public func periodStart(of table: TableName) -> String {
        guard isSupervision, let end = Day(iso: periodEnd) else { return periodStart }
        let weeks = max(weeksCovered(table), weekCount)
        return ISOWeek(containing: end).adding(weeks: -(weeks - 1)).start.iso
    }

    /// How many cells are suppressed.
    public var suppressedCount: Int { cells.filter { $0.status == .suppressed }.count }
}
