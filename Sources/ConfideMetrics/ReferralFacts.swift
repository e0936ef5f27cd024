import ConfideModel
import ConfideStore

/// An attended contact of a referral.
struct Contact {
    let day: Day
    let therapist: String
    let modality: String
    let delivery: String
    let kind: AppointmentKind
}

/// What the metrics need to know about one referral, read up to a day.
struct ReferralFacts {
    let id: String
    let client: String
    let received: Day
    let end: Day?
    let endReason: EndReason?
    let age: Int?
    let gender: String
    let ethnicity: String
    let source: String
    let problem: String
    /// The postcode district, when the export has one.
    var district: String? = nil
    /// The client is restricted (any of its referrals marked `restricted`): counted in
    /// practice-wide figures only.
    var restricted = false
    /// Attended contacts (any kind), by day.
    var attended: [Contact] = []
    /// Scores per instrument, by day.
    var scores: [Instrument: [(day: Day, score: Int)]] = [:]

    /// Attended treatment sessions, by day.
    var treatmentSessions: [Contact] { attended.filter { $0.kind == .treatment } }

    /// The latest attended contact on or before `day`.
    func lastContact(onOrBefore day: Day) -> Contact? { attended.last { $0.day <= day } }

    /// The groups of a restricted client: the practice alone, so no breakdown (therapist,
    /// age band, …) and no supervision release counts it (``TableBuilder/add``).
    static let practiceOnly: [GroupType: String] = [.practice: Group.practiceName]

    /// SQL, over `referrals r`: 1 when the referral's client is restricted (any of the client's
    /// referrals is marked), else 0.
    static let restrictedClientSQL = "EXISTS (SELECT 1 FROM referrals x WHERE x.client_id = r.client_id AND x.restricted = 1)"

    /// The breakdown groups of this referral, with therapist, modality and delivery taken from
    /// `contact` (absent when there is none); only the practice for a restricted client.
    func groups(contact: Contact?, ageBands: AgeBands) -> [GroupType: String] {
        if restricted { return Self.practiceOnly }
        var groups: [GroupType: String] = [
            .practice: Group.practiceName, .presentingProblem: problem, .referralSource: source,
            .ageBand: ageBands.label(age), .gender: gender, .ethnicity: ethnicity,
        ]
        if let contact {
            groups[.therapist] = contact.therapist
            groups[.modality] = contact.modality
            groups[.delivery] = contact.delivery
        }
        return groups
    }
}

/// Loads ``ReferralFacts`` for the referrals that match a condition on `referrals r`.
struct ReferralFactsLoader {
    let db: Database

    /// The referrals matching `condition` (SQL over alias `r`, parameters `?1…?n` from
    /// `arguments`), with attended contacts and scores dated on or before `upTo` (each only
    /// when asked for: a measure that does not look at them does not pay for reading them).
    ///
    /// `CROSS JOIN` fixes SQLite's join order: the matching referrals first, then their rows by
    /// the referral index. Left to itself the planner walks every appointment up to `upTo` by the
    /// date index, so a week's cost grew with the whole history (16 s against 1.6 s for a week
    /// of the 100,000-client practice, docs/performance.md).
    func load(where condition: String, _ arguments: [DatabaseValueConvertible], upTo: Day,
              contacts: Bool = true, scores: Bool = true) throws -> [ReferralFacts] {
        let limit = "?\(arguments.count + 1)"
        let all = arguments + [upTo.iso]
        var facts: [String: ReferralFacts] = [:]
        var order: [String] = []
        try db.cachedStatement("""
            SELECT r.referral_id, r.client_id, r.received_date, r.end_date, r.end_reason, r.age, r.gender, r.ethnicity,
                   r.referral_source, r.presenting_problem, r.postcode_district, \(ReferralFacts.restrictedClientSQL)
            FROM referrals r WHERE \(condition) ORDER BY r.referral_id
            """).forEachRow(arguments) { row in
            guard let received = Day(iso: row.string(2)) else { return }
            let id = row.string(0)
            order.append(id)
            facts[id] = ReferralFacts(
                id: id, client: row.string(1), received: received, end: row.optionalString(3).flatMap { Day(iso: $0) },
                endReason: row.optionalString(4).flatMap(EndReason.init(rawValue:)), age: row.optionalInt(5),
                gender: row.string(6), ethnicity: row.string(7), source: row.string(8), problem: row.string(9),
                district: row.optionalString(10), restricted: row.int(11) == 1)
        }
        guard !facts.isEmpty else { return [] }
        if contacts { try db.cachedStatement("""
            SELECT a.referral_id, a.date, a.therapist_id, a.modality, a.delivery, a.kind
            FROM referrals r CROSS JOIN appointments a ON a.referral_id = r.referral_id
            WHERE \(condition) AND a.date <= \(limit) AND a.status IN ('attended', 'attended_late')
            ORDER BY a.referral_id, a.date, a.appointment_id
            """).forEachRow(all) { row in
            guard let day = Day(iso: row.string(1)) else { return }
            facts[row.string(0)]?.attended.append(Contact(day: day, therapist: row.string(2), modality: row.string(3),
                                                          delivery: row.string(4), kind: AppointmentKind(rawValue: row.string(5)) ?? .followUp))
        } }
        if scores { try db.cachedStatement("""
            SELECT m.referral_id, m.date, m.instrument, m.score
            FROM referrals r CROSS JOIN measures m ON m.referral_id = r.referral_id
            WHERE \(condition) AND m.date <= \(limit)
            ORDER BY m.referral_id, m.date
            """).forEachRow(all) { row in
            guard let day = Day(iso: row.string(1)), let instrument = Instrument(rawValue: row.string(2)) else { return }
            facts[row.string(0)]?.scores[instrument, default: []].append((day, row.int(3)))
        } }
        return order.compactMap { facts[$0] }
    }
}
