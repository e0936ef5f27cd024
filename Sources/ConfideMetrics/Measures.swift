/// The file a measure is published in.
public enum TableName: String, Sendable, Codable, CaseIterable {
    /// Caseload and activity, per ISO week.
    case caseload
    /// Outcomes of referrals that ended in the outcome window.
    case outcomes
}

/// A breakdown a measure is published by.
public enum GroupType: String, Sendable, Codable, CaseIterable {
    /// The whole practice (one cell, group `all`).
    case practice
    /// Per therapist (therapist ids are staff codes, not client data).
    case therapist

    /// How many cells of this breakdown one client may touch in one release.
    public var cellsPerClient: Int {
        switch self {
        case .practice: return 1
        case .therapist: return 1  // a client sees about one therapist a week
        }
    }
}

/// A count published as a number: how many of something, summed over clients.
public struct CountMeasure: Sendable, Equatable {
    /// The stable snake_case id used in every export.
    public let id: String
    /// A human name for reports.
    public let name: String
    /// The table it belongs to.
    public let table: TableName
    /// The breakdowns it is published by.
    public let groups: [GroupType]
    /// The most one client may add, in total, to the cells of one group of this measure's
    /// budget group (larger contributions are clamped).
    public let contributionCap: Int
    /// Measures that share a budget group form one histogram: each of a client's
    /// contributions falls in exactly one of its cells (an appointment is attended or missed,
    /// never both), so the whole histogram is bounded jointly and charged once.
    public let budgetGroup: String

    /// Creates a measure; `budgetGroup` defaults to the measure's own id.
    public init(id: String, name: String, table: TableName, groups: [GroupType], contributionCap: Int, budgetGroup: String? = nil) {
        self.id = id
        self.name = name
        self.table = table
        self.groups = groups
        self.contributionCap = contributionCap
        self.budgetGroup = budgetGroup ?? id
    }
}

/// A percentage derived from published counts (post-processing: no budget of its own).
public struct RateMeasure: Sendable, Equatable {
    /// The stable snake_case id used in every export.
    public let id: String
    /// A human name for reports.
    public let name: String
    /// The table it belongs to.
    public let table: TableName
    /// The count measure on top.
    public let numerator: String
    /// The count measures summed underneath.
    public let denominator: [String]
}

/// The measures of this release of the catalogue.
public enum Catalogue {
    /// The version of the definitions, recorded with every published table.
    public static let definitionVersion = "confide-metrics-1"

    /// Count measures, in publication order.
    public static let counts: [CountMeasure] = [
        CountMeasure(id: "referrals_received", name: "Referrals received", table: .caseload, groups: [.practice], contributionCap: 1),
        CountMeasure(id: "appointments_attended", name: "Appointments attended", table: .caseload, groups: [.practice, .therapist], contributionCap: 2, budgetGroup: "appointments"),
        CountMeasure(id: "appointments_dna", name: "Appointments not attended (DNA)", table: .caseload, groups: [.practice, .therapist], contributionCap: 2, budgetGroup: "appointments"),
        CountMeasure(id: "appointments_cancelled_by_client", name: "Appointments cancelled by the client", table: .caseload, groups: [.practice, .therapist], contributionCap: 2, budgetGroup: "appointments"),
        CountMeasure(id: "appointments_cancelled_by_practice", name: "Appointments cancelled by the practice", table: .caseload, groups: [.practice, .therapist], contributionCap: 2, budgetGroup: "appointments"),
        CountMeasure(id: "active_caseload", name: "Active caseload (open, seen in 90 days)", table: .caseload, groups: [.practice, .therapist], contributionCap: 1),
    ]

    /// Rates, derived from the counts.
    public static let rates: [RateMeasure] = [
        RateMeasure(id: "dna_rate", name: "DNA rate (%)", table: .caseload, numerator: "appointments_dna",
                    denominator: ["appointments_attended", "appointments_dna"]),
        RateMeasure(id: "cancelled_by_client_rate", name: "Cancelled by client (% of booked)", table: .caseload,
                    numerator: "appointments_cancelled_by_client",
                    denominator: ["appointments_attended", "appointments_dna", "appointments_cancelled_by_client", "appointments_cancelled_by_practice"]),
        RateMeasure(id: "cancelled_by_practice_rate", name: "Cancelled by practice (% of booked)", table: .caseload,
                    numerator: "appointments_cancelled_by_practice",
                    denominator: ["appointments_attended", "appointments_dna", "appointments_cancelled_by_client", "appointments_cancelled_by_practice"]),
    ]

    /// The count measure with `id`.
    public static func count(_ id: String) -> CountMeasure? { counts.first { $0.id == id } }
}
