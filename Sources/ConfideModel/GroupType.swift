/// A breakdown a measure is published by. Inequality of outcomes across the equality groups
/// is what national reviews look for first.
public enum GroupType: String, Sendable, Codable, CaseIterable {
    /// The whole practice (one group, ``Group/practice``).
    case practice
    /// The therapist of the appointment, or of the referral's latest attended contact.
    case therapist
    /// The modality of that appointment or contact.
    case modality
    /// The presenting problem of the referral.
    case presentingProblem = "presenting_problem"
    /// The delivery mode of that appointment or contact.
    case delivery
    /// Where the referral came from.
    case referralSource = "referral_source"
    /// The age band at referral.
    case ageBand = "age_band"
    /// Gender as recorded.
    case gender
    /// Ethnicity (ONS 2021 top-level groups).
    case ethnicity

    /// How many groups of this breakdown one client may touch per histogram and release.
    public var cellsPerClient: Int { 1 }
}

/// One group of one breakdown: the practice as a whole, therapist `T01`, age band `18-25`.
public struct Group: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The breakdown.
    public let type: GroupType
    /// The group's label within it (a therapist id, a band, a vocabulary word; `all` for the
    /// practice).
    public let name: String

    /// Creates a group.
    public init(_ type: GroupType, _ name: String) {
        self.type = type
        self.name = name
    }

    /// The label of the practice's one group.
    public static let practiceName = "all"

    /// The whole practice.
    public static let practice = Group(.practice, practiceName)

    /// The group, in a breakdown by contact (therapist, modality, delivery), of what has no
    /// contact (a referral nobody has seen yet). Part of the public domain, so its cells are
    /// drawn whatever the data; never published: it makes the breakdown a partition of the
    /// practice, so its groups can be made to add up to the practice's count.
    public static let noContactName = "(no contact)"

    /// True for the breakdowns whose group comes from a contact.
    public static func isContactBreakdown(_ type: GroupType) -> Bool {
        switch type {
        case .therapist, .modality, .delivery: true
        case .practice, .presentingProblem, .referralSource, .ageBand, .gender, .ethnicity: false
        }
    }

    /// `type/name`.
    public var description: String { "\(type.rawValue)/\(name)" }
}
