/// A closed set of canonical words for one categorical field.
///
/// A source value outside the set is stored as `other` (or the field's fallback) and counted,
/// never stored as typed, so free text cannot travel through a categorical field.
public protocol Vocabulary: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {
    /// The value stored for a word outside the vocabulary.
    static var fallback: Self { get }
}

/// Gender as recorded at referral.
public enum Gender: String, Vocabulary {
    case female, male, nonBinary = "non_binary", other, notStated = "not_stated"
    /// Unknown words become `other`.
    public static let fallback = Gender.other
}

/// Whether the practice marked the client as needing more protection (`restricted`: a public
/// figure, a member of staff in therapy). Such a client is counted in practice-wide figures
/// only; the value itself is never published.
public enum Restriction: String, Vocabulary {
    case yes, no
    /// A word outside the vocabulary restricts: the safe side when a mark cannot be read.
    public static let fallback = Restriction.yes
}

/// ONS 2021 top-level ethnic groups.
public enum Ethnicity: String, Vocabulary {
    case asian, black, mixed, white, other, notStated = "not_stated"
    /// Unknown words become `other`.
    public static let fallback = Ethnicity.other
}

/// Where a referral came from.
public enum ReferralSource: String, Vocabulary {
    case selfReferral = "self", gp, employer, insurer, other
    /// Unknown words become `other`.
    public static let fallback = ReferralSource.other
}

/// The main presenting problem at assessment.
public enum PresentingProblem: String, Vocabulary {
    case depression, gad, mixedAnxietyDepression = "mixed_anxiety_depression", panic
    case socialAnxiety = "social_anxiety", ptsd, ocd, healthAnxiety = "health_anxiety"
    case relationship, bereavement, other
    /// Unknown words become `other`.
    public static let fallback = PresentingProblem.other
}

/// Why a referral ended.
public enum EndReason: String, Vocabulary {
    case completed, droppedOut = "dropped_out", endedByPractice = "ended_by_practice"
    case referredOn = "referred_on", declined, notSuitable = "not_suitable"
    case notAssessed = "not_assessed", other
    /// Unknown words become `other`.
    public static let fallback = EndReason.other
}

/// What an appointment was for.
public enum AppointmentKind: String, Vocabulary {
    case assessment, treatment, followUp = "follow_up"
    /// Unknown kinds become `follow_up`, which counts as neither an assessment nor a treatment
    /// session, so an unknown word cannot inflate treatment counts.
    public static let fallback = AppointmentKind.followUp
}

/// What happened to a booked appointment (NHS attendance codes 2-7 map onto these).
public enum AppointmentStatus: String, Vocabulary {
    case attended, attendedLate = "attended_late", lateNotSeen = "late_not_seen", dna
    case cancelledByClient = "cancelled_by_client", cancelledByPractice = "cancelled_by_practice"
    /// Cancelled, and the export does not say by whom (Cliniko, SimplePractice and Halaxy record
    /// a cancellation, not who made it). Counted as booked, never guessed as the client's or the
    /// practice's; it has no NHS attendance code. Last, so earlier cases keep their positions.
    case cancelled
    /// Unknown statuses cannot be guessed: they are quarantined by ingest; this fallback is
    /// used only where a value must exist.
    public static let fallback = AppointmentStatus.cancelledByPractice

    /// Attended on time or late (codes 5 and 6).
    public var isAttended: Bool { self == .attended || self == .attendedLate }
}

/// The therapy modality of an appointment.
public enum Modality: String, Vocabulary {
    case cbt, counselling, psychodynamic, emdr, ipt, integrative, other
    /// Unknown words become `other`.
    public static let fallback = Modality.other
}

/// How an appointment was delivered.
public enum Delivery: String, Vocabulary {
    case inPerson = "in_person", video, phone
    /// Unknown delivery words become `in_person` and are counted in the ingest summary.
    public static let fallback = Delivery.inPerson
}

/// An outcome measure and its valid score range.
public enum Instrument: String, Vocabulary {
    case phq9, gad7, core10, wsas
    /// Unknown instruments are quarantined; this is used only where a value must exist.
    public static let fallback = Instrument.phq9

    /// The valid total scores.
    public var range: ClosedRange<Int> {
        switch self {
        case .phq9: return 0...27
        case .gad7: return 0...21
        case .core10: return 0...40
        case .wsas: return 0...40
        }
    }
}
