/// The canonical export: three CSV files and the only fields confide ever stores.
/// Every other column is dropped when read (allowlist, not blocklist).
public enum CanonicalFile: String, Sendable, CaseIterable, Codable {
    case referrals, appointments, measures

    /// The file name in a canonical export folder.
    public var fileName: String { rawValue + ".csv" }

    /// Every canonical column of the file.
    public var fields: [String] {
        switch self {
        case .referrals:
            return ["referral_id", "client_id", "received_date", "date_of_birth", "age", "gender",
                    "ethnicity", "postcode", "referral_source", "presenting_problem", "end_date", "end_reason",
                    "restricted"]
        case .appointments:
            return ["appointment_id", "referral_id", "therapist_id", "date", "kind", "status",
                    "modality", "delivery", "duration_minutes"]
        case .measures:
            return ["referral_id", "date", "instrument", "score"]
        }
    }

    /// The columns without which the file cannot be read at all.
    public var requiredFields: [String] {
        switch self {
        case .referrals: return ["referral_id", "client_id", "received_date"]
        case .appointments: return ["appointment_id", "referral_id", "therapist_id", "date", "status"]
        case .measures: return ["referral_id", "date", "instrument", "score"]
        }
    }
}
