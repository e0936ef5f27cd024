public import ConfideModel

/// A categorical canonical field, its file and its words: the fields a value map may feed.
public enum VocabularyField: String, Sendable, CaseIterable {
    case status, kind, modality, delivery, instrument
    case endReason = "end_reason", gender, ethnicity
    case referralSource = "referral_source", presentingProblem = "presenting_problem"
    case restricted

    /// The canonical file that holds the field.
    public var file: CanonicalFile {
        switch self {
        case .status, .kind, .modality, .delivery: return .appointments
        case .instrument: return .measures
        case .endReason, .gender, .ethnicity, .referralSource, .presentingProblem, .restricted: return .referrals
        }
    }

    /// The canonical words of the field, the only targets a value map may name.
    public var words: [String] {
        switch self {
        case .status: return AppointmentStatus.allCases.map(\.rawValue)
        case .kind: return AppointmentKind.allCases.map(\.rawValue)
        case .modality: return Modality.allCases.map(\.rawValue)
        case .delivery: return Delivery.allCases.map(\.rawValue)
        case .instrument: return Instrument.allCases.map(\.rawValue)
        case .endReason: return EndReason.allCases.map(\.rawValue)
        case .gender: return Gender.allCases.map(\.rawValue)
        case .ethnicity: return Ethnicity.allCases.map(\.rawValue)
        case .referralSource: return ReferralSource.allCases.map(\.rawValue)
        case .presentingProblem: return PresentingProblem.allCases.map(\.rawValue)
        case .restricted: return Restriction.allCases.map(\.rawValue)
        }
    }
}
