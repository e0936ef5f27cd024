/// The file a measure is published in.
public enum TableName: String, Sendable, Codable, CaseIterable, Comparable {
    /// Caseload and activity, per ISO week.
    case caseload
    /// Outcomes of referrals that ended in the outcome window.
    case outcomes

    /// Ordered by name, as the manifest lists tables.
    public static func < (a: TableName, b: TableName) -> Bool { a.rawValue < b.rawValue }
}
