public import ConfideModel
import ConfideStore

/// One referral course on a therapist's caseload in a supervision period, exact and row level.
///
/// It stays in memory: the only way to a file is the case-list anonymisation of
/// `ConfidePrivacy` (k-anonymity of the quasi-identifiers, l-diversity of the outcome class),
/// which turns a period's cases into a protected case list.
public struct ExactCase: Sendable, Equatable {
    /// The therapist of the course's latest attended contact on or before the period's end.
    public let therapist: String
    /// The referral's keyed pseudonym (only for the case code; never written).
    public let referral: String
    /// Age at referral, when known.
    public let age: Int?
    /// Gender word.
    public let gender: String
    /// Ethnicity word.
    public let ethnicity: String
    /// Postcode district, when the export has one.
    public let district: String?
    /// The day the referral was received.
    public let received: Day
    /// Whole weeks from referral to the first attended treatment session, or to the period's
    /// end while the course has none.
    public let weeksWaited: Int
    /// Attended appointments (any kind) up to the period's end.
    public let sessionsAttended: Int
    /// Appointments not attended (DNA) up to the period's end.
    public let dnas: Int
    /// The first and latest PHQ-9 scores up to the period's end.
    public let phq9First: Int?, phq9Latest: Int?
    /// The first and latest GAD-7 scores up to the period's end.
    public let gad7First: Int?, gad7Latest: Int?
    /// Reliable change so far (the national rule on the scores up to the period's end).
    public let change: OutcomeClass.Change
    /// At least ``MetricSettings/notOnTrackSessions`` attended treatment sessions and no
    /// reliable improvement.
    public let notOnTrack: Bool
}

extension WeeklyMetrics {
    /// The cases of a supervision period: every referral open at some time in the period whose
    /// latest attended contact on or before its last day was with a therapist, with what a
    /// supervisor reads about it, by therapist then received date. Restricted clients
    /// (`restricted`) are left out altogether.
    public func cases(period: SupervisionPeriod) throws -> [ExactCase] {
        try db.read { _ in
            let start = period.first.start, end = period.last.end
            let facts = try loader.load(where: "r.received_date <= ?2 AND (r.end_date IS NULL OR r.end_date >= ?1)",
                                        [start.iso, end.iso], upTo: end)
            var dnas: [Pseudonym: Int] = [:]
            try db.cachedStatement("""
                SELECT r.referral_id, count(*) FROM referrals r CROSS JOIN appointments a ON a.referral_key = r.referral_key
                WHERE r.received_date <= ?2 AND (r.end_date IS NULL OR r.end_date >= ?1) AND a.date <= ?2 AND a.status = 'dna'
                GROUP BY r.referral_key
                """).forEachRow([start.iso, end.iso]) { row in dnas[Pseudonym(row, 0)] = row.int(1) }
            let classifier = OutcomeClassifier(settings: settings)
            var cases: [ExactCase] = []
            for course in facts {
                // A restricted client is on no case list, and not counted among those left out
                // (a count of them per therapist would itself say something).
                guard !course.restricted, let contact = course.lastContact(onOrBefore: end) else { continue }
                let firstTreatment = course.treatmentSessions.first?.day
                let waitedTo = firstTreatment.map { min($0, end) } ?? end
                let change = classifier.classify(course).change
                let phq9 = course.scores[.phq9] ?? [], gad7 = course.scores[.gad7] ?? []
                cases.append(ExactCase(
                    therapist: contact.therapist, referral: course.id.hex, age: course.age, gender: course.gender,
                    ethnicity: course.ethnicity, district: course.district, received: course.received,
                    weeksWaited: max(0, (waitedTo.ordinal - course.received.ordinal) / 7), sessionsAttended: course.attended.count,
                    dnas: dnas[course.id] ?? 0, phq9First: phq9.first?.score, phq9Latest: phq9.last?.score,
                    gad7First: gad7.first?.score, gad7Latest: gad7.last?.score, change: change,
                    notOnTrack: course.treatmentSessions.count >= settings.notOnTrackSessions && change != .improved))
            }
            return cases.sorted { ($0.therapist, $0.received.ordinal, $0.referral) < ($1.therapist, $1.received.ordinal, $1.referral) }
        }
    }
}
