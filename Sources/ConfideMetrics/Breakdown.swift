/// The file a measure is published in.
public enum TableName: String, Sendable, Codable, CaseIterable {
    /// Caseload and activity, per ISO week.
    case caseload
    /// Outcomes of referrals that ended in the outcome window.
    case outcomes
}

/// A breakdown a measure is published by. Inequality of outcomes across the equality groups
/// is what national reviews look for first.
public enum GroupType: String, Sendable, Codable, CaseIterable {
    /// The whole practice (one group, `all`).
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

/// Age bands at referral: lower bounds, in order; the last band is open (`66+`).
public struct AgeBands: Sendable, Equatable {
    /// The lower bound of each band.
    public let lowerBounds: [Int]

    /// The default bands 16-17, 18-25, 26-35, 36-45, 46-55, 56-65, 66+.
    public init(lowerBounds: [Int] = [16, 18, 26, 36, 46, 56, 66]) {
        self.lowerBounds = lowerBounds.sorted()
    }

    /// The band label of `age` (`under_16` below the first band, `unknown` when absent).
    public func label(_ age: Int?) -> String {
        guard let age else { return "unknown" }
        guard let first = lowerBounds.first, age >= first else { return "under_\(lowerBounds.first ?? 0)" }
        for (i, low) in lowerBounds.enumerated().reversed() where age >= low {
            if i == lowerBounds.count - 1 { return "\(low)+" }
            return "\(low)-\(lowerBounds[i + 1] - 1)"
        }
        return "unknown"
    }
}
