public import ConfideModel
public import ConfideStore

/// Computes the exact aggregates of one ISO week from the store, in memory only.
public struct WeeklyMetrics {
    let db: Database
    let settings: MetricSettings

    /// Creates a computation over the store `db`.
    public init(db: Database, settings: MetricSettings = MetricSettings()) {
        self.db = db
        self.settings = settings
    }

    /// The therapists seen in the 13 weeks up to the end of `week` (the public list of staff
    /// whose cells are published, zero or not).
    public func therapists(activeIn week: ISOWeek) throws -> [String] {
        try db.cachedStatement("SELECT DISTINCT therapist_id FROM appointments WHERE date BETWEEN ? AND ? ORDER BY therapist_id")
            .map([week.adding(weeks: -12).start.iso, week.end.iso]) { $0.string(0) }
    }

    /// The exact release of `week`, its measures shared between two connections on two
    /// threads when the store is a file (``computeOnTwoConnections(week:outcomeWeeks:)``),
    /// else computed on this one; the same bytes either way.
    ///
    /// - Parameter outcomeWeeks: weeks of endings in the outcomes table: 1 for a differentially
    ///   private release (the outcome window is summed from weekly releases afterwards), the
    ///   whole window for disclosure control.
    public func compute(week: ISOWeek, outcomeWeeks: Int = 1) throws -> ExactRelease {
        if let release = try computeOnTwoConnections(week: week, outcomeWeeks: outcomeWeeks) { return release }
        return try computeOnOneConnection(week: week, outcomeWeeks: outcomeWeeks)
    }

    /// The exact release of `week`, every measure on this connection, in one read transaction.
    func computeOnOneConnection(week: ISOWeek, outcomeWeeks: Int = 1) throws -> ExactRelease {
        try db.read { _ in
            assemble(week, outcomeWeeks: outcomeWeeks, from: try compute(WeekPart.allCases, week: week, outcomeWeeks: outcomeWeeks))
        }
    }

    /// The public groups of each breakdown: staff seen in 13 weeks and the vocabularies; a
    /// breakdown by contact also has ``Group/noContactName`` (drawn, never published).
    func publicDomains(_ week: ISOWeek) throws -> [GroupType: [String]] {
        Self.publicDomains(therapists: try therapists(activeIn: week), settings: settings)
    }

    /// The public groups of each breakdown, given the staff seen in the 13 weeks (in byte
    /// order): what ``publicDomains(_:)`` returns, on either store.
    static func publicDomains(therapists: [String], settings: MetricSettings) -> [GroupType: [String]] {
        var ages = [settings.ageBands.label(0)] + settings.ageBands.lowerBounds.map { settings.ageBands.label($0) }
        ages.append("unknown")
        let none = Group.noContactName
        return [
            .therapist: therapists + [none],
            .modality: Modality.allCases.map(\.rawValue) + [none],
            .delivery: Delivery.allCases.map(\.rawValue) + [none],
            .presentingProblem: PresentingProblem.allCases.map(\.rawValue),
            .referralSource: ReferralSource.allCases.map(\.rawValue),
            .ageBand: ages,
            .gender: Gender.allCases.map(\.rawValue),
            .ethnicity: Ethnicity.allCases.map(\.rawValue),
        ]
    }

    /// A loader of referral facts (it reads the restricted clients as it is made, so make one
    /// per measure, inside the computation's read transaction).
    var loader: ReferralFactsLoader { get throws { try ReferralFactsLoader(db: db) } }

    /// Whether a referral's event counts under the lifetime bound (``EventBound``).
    typealias EventCounts = (ReferralEvent, ReferralFacts, Day) throws -> Bool

    /// The lifetime bound's test for events up to `end` (every event counts when there is no
    /// bound: disclosure control).
    func eventCounts(upTo end: Day) -> EventCounts {
        let bound = settings.referralsPerClientYear.map { EventBound(limit: $0, db: db, upTo: end) }
        return { kind, facts, day in try bound?.counts(kind, client: facts.client, referral: facts.id, day: day) ?? true }
    }

    func referralsReceived(_ week: ISOWeek, into table: inout TableBuilder, counts: EventCounts) throws {
        for facts in try loader.load(where: "r.received_date BETWEEN ?1 AND ?2", [week.start.iso, week.end.iso], upTo: week.end,
                                           contacts: .none, scores: false) {
            guard try counts(.received, facts, facts.received) else { continue }
            let groups = facts.groups(contact: nil, ageBands: settings.ageBands)
            table.add("referrals_received", "received", client: facts.client, groups: groups)
            table.add("flows", "received", client: facts.client, groups: groups)
        }
    }

    /// Appointments dated `start` to `end` by class; with `seen`, also each client with an
    /// attended one, once per therapist (``Catalogue/supervisionHistograms(periodWeeks:)``).
    func appointments(from start: Day, to end: Day, into table: inout TableBuilder, seen: Bool = false) throws {
        let restricted = try RestrictedClients(db: db)
        // In the order of the date index (date, therapist, appointment id), as before the order
        // was written down: clients are numbered in the order they are first added.
        try db.cachedStatement("""
            SELECT r.client_id, a.therapist_id, a.modality, a.delivery, a.status, r.age, r.gender, r.ethnicity,
                   r.referral_source, r.presenting_problem
            FROM appointments a JOIN referrals r ON r.referral_key = a.referral_key
            WHERE a.date BETWEEN ? AND ?
            ORDER BY a.date, a.therapist_id, a.appointment_id
            """).forEachRow([start.iso, end.iso]) { row in
            let client = Pseudonym(row, 0)
            let groups = restricted.contains(client) ? ReferralFacts.practiceOnly : Groups(
                practice: Group.practiceName, therapist: row.string(1), modality: row.string(2),
                presentingProblem: row.string(9), delivery: row.string(3), referralSource: row.string(8),
                ageBand: settings.ageBands.label(row.optionalInt(5)), gender: row.string(6), ethnicity: row.string(7))
            let cls = Catalogue.appointmentClass(row.string(4))
            table.add("appointments", cls, client: client, groups: groups)
            if seen, cls == AppointmentStatus.attended.rawValue { table.add("clients_seen", "seen", client: client, groups: groups) }
        }
    }

    /// Open referrals at the end of the week: in treatment or waiting, and whether they had an
    /// attended contact in the last 90 days; for those waiting, how long since referral.
    func openReferrals(at end: Day, into table: inout TableBuilder) throws {
        // `+` keeps SQLite from the received_date index: nearly every referral was received by
        // the week's end, and one scan of the table beats a row lookup per index entry (1.8 s
        // to 0.09 s at 1,000,000 clients).
        // Each referral's latest contact and first session come from `referral_progress`, one
        // row a referral, not from its whole history of contacts.
        let open = try loader.loadProgress(where: "+r.received_date <= ?1 AND (r.end_date IS NULL OR r.end_date > ?1)", [end.iso], upTo: end)
        for referral in open {
            let (facts, last, inTreatment) = (referral.facts, referral.last, referral.inTreatment)
            let seen = last.map { $0.day.days(to: end) < settings.activeContactDays } ?? false
            let groups = facts.groups(contact: last, ageBands: settings.ageBands)
            table.add("open_referrals", (inTreatment ? "treatment" : "waiting") + (seen ? ".contact" : ".no_contact"),
                      client: facts.client, groups: groups)
            if !inTreatment {
                let waited = facts.received.days(to: end)
                table.add("waiting_times", waited <= 42 ? "0_6_weeks" : waited <= 126 ? "6_18_weeks" : "over_18_weeks",
                          client: facts.client, groups: groups)
            }
        }
    }

    /// Referrals entering treatment (first attended treatment session in the week) and second
    /// treatment sessions in the week, by days from the first.
    func treatmentStarts(_ week: ISOWeek, into table: inout TableBuilder, counts: EventCounts) throws {
        // Only referrals whose first or second attended treatment session falls in the week
        // (their progress rows say so) can add to either figure.
        let condition = """
            r.referral_key IN (SELECT referral_key FROM referral_progress
                              WHERE first_treatment BETWEEN ?1 AND ?2 OR second_treatment BETWEEN ?1 AND ?2)
            """
        for facts in try loader.load(where: condition, [week.start.iso, week.end.iso], upTo: week.end, contacts: .firstTwoTreatments,
                                     scores: false) {
            let sessions = facts.treatmentSessions
            let groups = { (contact: Contact) in facts.groups(contact: contact, ageBands: settings.ageBands) }
            if let first = sessions.first, first.day >= week.start, try counts(.entered, facts, first.day) {
                table.add("entered_treatment", "entered", client: facts.client, groups: groups(first))
                table.add("flows", "entered", client: facts.client, groups: groups(first))
            }
            if sessions.count >= 2, sessions[1].day >= week.start, try counts(.secondSession, facts, sessions[1].day) {
                let gap = sessions[0].day.days(to: sessions[1].day)
                let cls = gap <= 28 ? "within_28_days" : gap <= 90 ? "within_90_days" : "over_90_days"
                table.add("second_sessions", cls, client: facts.client, groups: groups(sessions[1]))
            }
        }
    }

    /// Referrals ended in the period, by reason and whether treatment had begun.
    func endings(from start: Day, to end: Day, into table: inout TableBuilder, counts: EventCounts) throws {
        for facts in try loader.load(where: "r.end_date BETWEEN ?1 AND ?2", [start.iso, end.iso], upTo: end, scores: false) {
            guard try counts(.ended, facts, facts.end!) else { continue }
            let reason = facts.endReason ?? .other
            let takenOn = facts.treatmentSessions.contains { $0.day <= facts.end! }
            let groups = facts.groups(contact: facts.lastContact(onOrBefore: facts.end!), ageBands: settings.ageBands)
            table.add("endings", "\(reason.rawValue).\(takenOn ? "taken_on" : "not_taken_on")", client: facts.client, groups: groups)
            table.add("flows", "ended", client: facts.client, groups: groups)
        }
    }

    /// Finished courses (ended in the window with at least two attended treatment sessions):
    /// outcome class, wait to first treatment, and sessions attended.
    func finishedCourses(from start: Day, to end: Day, into table: inout TableBuilder, counts: EventCounts) throws {
        let classifier = OutcomeClassifier(settings: settings)
        for facts in try loader.load(where: "r.end_date BETWEEN ?1 AND ?2", [start.iso, end.iso], upTo: end) {
            let sessions = facts.treatmentSessions.filter { $0.day <= facts.end! }
            guard sessions.count >= settings.minimumTreatmentSessions, let first = sessions.first,
                  try counts(.finished, facts, facts.end!) else { continue }
            let groups = facts.groups(contact: sessions.last, ageBands: settings.ageBands)
            table.add("outcomes", classifier.classify(facts).label, client: facts.client, groups: groups)
            let wait = facts.received.days(to: first.day)
            table.add("waits", wait <= 42 ? "within_6_weeks" : wait <= 126 ? "within_18_weeks" : "over_18_weeks",
                      client: facts.client, groups: groups)
            table.add("sessions", "sessions", client: facts.client, groups: groups,
                      amount: Int32(min(sessions.count, settings.maximumSessionsCounted)))
            let counted = Catalogue.sessionCountClasses
            table.add("session_counts", counted[min(sessions.count, counted.count) - 1], client: facts.client, groups: groups)
        }
    }
}
