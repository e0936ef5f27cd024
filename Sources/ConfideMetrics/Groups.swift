import ConfideModel

/// The groups one add to a table counts in, one per breakdown: stored properties, not a
/// dictionary, so that a referral's groups cost no allocation and a breakdown's group is a
/// `switch` away (1,000,000 clients: about a million adds a week, each read for nine
/// breakdowns).
struct Groups {
    var practice: String?
    var therapist: String?
    var modality: String?
    var presentingProblem: String?
    var delivery: String?
    var referralSource: String?
    var ageBand: String?
    var gender: String?
    var ethnicity: String?

    /// The group of breakdown `type`, nil when the add has none in it.
    subscript(type: GroupType) -> String? {
        get {
            switch type {
            case .practice: practice
            case .therapist: therapist
            case .modality: modality
            case .presentingProblem: presentingProblem
            case .delivery: delivery
            case .referralSource: referralSource
            case .ageBand: ageBand
            case .gender: gender
            case .ethnicity: ethnicity
            }
        }
        set {
            switch type {
            case .practice: practice = newValue
            case .therapist: therapist = newValue
            case .modality: modality = newValue
            case .presentingProblem: presentingProblem = newValue
            case .delivery: delivery = newValue
            case .referralSource: referralSource = newValue
            case .ageBand: ageBand = newValue
            case .gender: gender = newValue
            case .ethnicity: ethnicity = newValue
            }
        }
    }

    /// The practice alone: a restricted client's groups (no breakdown counts it, not even a
    /// contact breakdown's no-contact group).
    static let practiceOnly = Groups(practice: Group.practiceName)

    /// True when the practice is the only group.
    var isPracticeOnly: Bool {
        practice != nil && therapist == nil && modality == nil && presentingProblem == nil && delivery == nil
            && referralSource == nil && ageBand == nil && gender == nil && ethnicity == nil
    }
}
