import ConfideModel

/// The SQL of ``PostgresWeeklyMetrics``: each measure of ``WeeklyMetrics`` as a query that
/// PostgreSQL runs over the store, giving what the Swift measure adds to its table, one row an
/// add (``adds``), and the query that turns those rows into contributions (``contributions(_:)``).
///
/// Each part keeps its Swift twin's rules line for line (the comments name it), so that the two
/// computations agree to the byte on the published figures; `PostgresMetricsTests` holds them
/// equal on random practices. Days are the store's ISO text, written into the SQL as literals
/// (``literal(_:)``: digits and hyphens only, from a ``Day``, never from an export).
///
/// Every part's rows have the same columns: the client, the histogram and class, the amount,
/// the contact's therapist, modality and delivery (NULL without one), the referral's presenting
/// problem, source, age, gender and ethnicity, and where the Swift measure adds it in its week
/// (`part`, `k_day`, `k_therapist`, `k_id`, `n`): the order cells are first met in.
struct PostgresMetricQueries {
    let settings: MetricSettings
    /// The day events are counted up to (``EventBound``'s `upTo`).
    let upTo: Day

    /// A day as an SQL literal.
    static func literal(_ day: Day) -> String { "'\(day.iso)'" }

    private var u: String { Self.literal(upTo) }

    /// Attended, as the store writes it.
    static let attended = "status IN ('attended', 'attended_late')"

    /// The referral's columns every row carries.
    private static let referral = "r.presenting_problem, r.referral_source, r.age, r.gender, r.ethnicity"

    /// ``WeeklyMetrics/referralsReceived(_:into:counts:)``.
    func received(_ week: ISOWeek) -> String {
        """
        SELECT r.client_id, h.histogram, 'received' AS class, 1 AS amount, NULL::text AS therapist, NULL::text AS modality,
               NULL::text AS delivery, \(Self.referral), 1 AS part, '' AS k_day, '' AS k_therapist, r.referral_id AS k_id, h.n
        FROM referrals r CROSS JOIN (VALUES ('referrals_received', 1), ('flows', 2)) AS h(histogram, n)
        WHERE r.received_date BETWEEN \(Self.literal(week.start)) AND \(Self.literal(week.end)) AND \(counts(.received, day: "r.received_date"))
        """
    }

    /// ``WeeklyMetrics/appointments(from:to:into:seen:)``: every appointment by class; with
    /// `seen`, each attended one also in `clients_seen`.
    func appointments(from start: Day, to end: Day, seen: Bool) -> String {
        """
        SELECT r.client_id, h.histogram, h.class, 1, a.therapist_id, a.modality, a.delivery, \(Self.referral),
               2, a.date, a.therapist_id, a.appointment_id, h.n
        FROM appointments a JOIN referrals r ON r.referral_key = a.referral_key
        CROSS JOIN LATERAL (VALUES ('appointments', CASE a.status WHEN 'attended_late' THEN 'attended' ELSE a.status END, 1),
                                   ('clients_seen', CASE WHEN \(seen) AND a.\(Self.attended) THEN 'seen' END, 2)) AS h(histogram, class, n)
        WHERE a.date BETWEEN \(Self.literal(start)) AND \(Self.literal(end)) AND h.class IS NOT NULL
        """
    }

    /// ``WeeklyMetrics/openReferrals(at:into:)``: the latest contact on or before `end` from
    /// the progress row, or (when the row's is later) from the referral's contacts.
    func openReferrals(at end: Day) -> String {
        let e = Self.literal(end)
        let later = "p.last_date > \(e)"
        return """
        SELECT r.client_id, h.histogram, h.class, 1, c.therapist, c.modality, c.delivery, \(Self.referral),
               3, '', '', r.referral_id, h.n
        FROM referrals r
        LEFT JOIN referral_progress p ON p.referral_key = r.referral_key
        LEFT JOIN LATERAL (SELECT a.date, a.therapist_id, a.modality, a.delivery FROM appointments a
                           WHERE \(later) AND a.referral_key = r.referral_key AND a.date <= \(e) AND a.\(Self.attended)
                           ORDER BY a.date DESC, a.appointment_id DESC LIMIT 1) AS l ON true
        CROSS JOIN LATERAL (SELECT CASE WHEN \(later) THEN l.date ELSE p.last_date END AS date,
                                   CASE WHEN \(later) THEN l.therapist_id ELSE p.last_therapist END AS therapist,
                                   CASE WHEN \(later) THEN l.modality ELSE p.last_modality END AS modality,
                                   CASE WHEN \(later) THEN l.delivery ELSE p.last_delivery END AS delivery,
                                   coalesce(p.first_treatment <= \(e), false) AS treating) AS c
        CROSS JOIN LATERAL (VALUES
            ('open_referrals', CASE WHEN c.treating THEN 'treatment' ELSE 'waiting' END
                || CASE WHEN c.date IS NOT NULL AND \(e)::date - c.date::date < \(settings.activeContactDays) THEN '.contact' ELSE '.no_contact' END, 1),
            ('waiting_times', CASE WHEN NOT c.treating THEN \(band("\(e)::date - r.received_date::date", [(42, "0_6_weeks"), (126, "6_18_weeks")], "over_18_weeks")) END, 2)
        ) AS h(histogram, class, n)
        WHERE r.received_date <= \(e) AND (r.end_date IS NULL OR r.end_date > \(e)) AND h.class IS NOT NULL
        """
    }

    /// ``WeeklyMetrics/treatmentStarts(_:into:counts:)``: the first two attended treatment
    /// sessions of the referrals whose first or second falls in the week.
    func treatmentStarts(_ week: ISOWeek) -> String {
        let s = Self.literal(week.start), e = Self.literal(week.end)
        return """
        SELECT r.client_id, h.histogram, h.class, 1, t.therapist_id, t.modality, t.delivery, \(Self.referral),
               4, '', '', r.referral_id, h.n
        FROM referrals r JOIN referral_progress p ON p.referral_key = r.referral_key
        CROSS JOIN LATERAL (SELECT a.date, a.therapist_id, a.modality, a.delivery,
                                   row_number() OVER (ORDER BY a.date, a.appointment_id) AS session
                            FROM appointments a
                            WHERE a.referral_key = r.referral_key AND a.\(Self.attended) AND a.kind = 'treatment' AND a.date <= \(e)
                            ORDER BY a.date, a.appointment_id LIMIT 2) AS t
        CROSS JOIN LATERAL (VALUES
            ('entered_treatment', CASE WHEN t.session = 1 THEN 'entered' END, 1),
            ('flows', CASE WHEN t.session = 1 THEN 'entered' END, 2),
            ('second_sessions', CASE WHEN t.session = 2 THEN \(band("t.date::date - p.first_treatment::date", [(28, "within_28_days"), (90, "within_90_days")], "over_90_days")) END, 3)
        ) AS h(histogram, class, n)
        WHERE (p.first_treatment BETWEEN \(s) AND \(e) OR p.second_treatment BETWEEN \(s) AND \(e))
            AND t.date >= \(s) AND h.class IS NOT NULL
            AND CASE WHEN t.session = 1 THEN \(counts(.entered, day: "t.date")) ELSE \(counts(.secondSession, day: "t.date")) END
        """
    }

    /// ``WeeklyMetrics/endings(from:to:into:counts:)`` (a week: by reason and whether treatment
    /// began, and in the flows) or the supervision release's endings (`byReason` false: one class).
    func endings(from start: Day, to end: Day, byReason: Bool) -> String {
        let reasons = EndReason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let cls = byReason ? """
            (CASE WHEN r.end_reason IN (\(reasons)) THEN r.end_reason ELSE '\(EndReason.other.rawValue)' END)
                || CASE WHEN EXISTS (SELECT 1 FROM appointments t WHERE t.referral_key = r.referral_key AND t.\(Self.attended)
                                     AND t.kind = 'treatment' AND t.date <= r.end_date) THEN '.taken_on' ELSE '.not_taken_on' END
            """ : "'ended'"
        return """
        SELECT r.client_id, h.histogram, h.class, 1, c.therapist_id, c.modality, c.delivery, \(Self.referral),
               5, '', '', r.referral_id, h.n
        FROM referrals r
        LEFT JOIN LATERAL (SELECT a.therapist_id, a.modality, a.delivery FROM appointments a
                           WHERE a.referral_key = r.referral_key AND a.date <= r.end_date AND a.\(Self.attended)
                           ORDER BY a.date DESC, a.appointment_id DESC LIMIT 1) AS c ON true
        CROSS JOIN LATERAL (VALUES ('endings', \(cls), 1), ('flows', 'ended', 2)) AS h(histogram, class, n)
        WHERE r.end_date BETWEEN \(Self.literal(start)) AND \(Self.literal(end)) AND \(counts(.ended, day: "r.end_date"))
        """
    }

    /// ``WeeklyMetrics/finishedCourses(from:to:into:counts:)``: the outcome class
    /// (``OutcomeClassifier``, from each instrument's first and last score on or before the
    /// end), the wait to the first treatment session, and the sessions attended.
    func finishedCourses(from start: Day, to end: Day) -> String {
        let treatment = "t.referral_key = r.referral_key AND t.\(Self.attended) AND t.kind = 'treatment' AND t.date <= r.end_date"
        let instruments = OutcomeClassifier(settings: settings).instruments
        let scores = Self.scores(instruments.map(\.0), alias: "i", upTo: "r.end_date")
        let counted = Catalogue.sessionCountClasses
        return """
        SELECT r.client_id, h.histogram, h.class, h.amount, c.therapist_id, c.modality, c.delivery, \(Self.referral),
               6, '', '', r.referral_id, h.n
        FROM referrals r
        CROSS JOIN LATERAL (SELECT count(*) AS sessions, min(t.date) AS first FROM appointments t WHERE \(treatment)) AS s
        CROSS JOIN LATERAL (SELECT t.therapist_id, t.modality, t.delivery FROM appointments t WHERE \(treatment)
                            ORDER BY t.date DESC, t.appointment_id DESC LIMIT 1) AS c
        \(scores)
        CROSS JOIN LATERAL (VALUES
            ('outcomes', \(outcomeClass(instruments)), 1, 1),
            ('waits', \(band("s.first::date - r.received_date::date", [(42, "within_6_weeks"), (126, "within_18_weeks")], "over_18_weeks")), 1, 2),
            ('sessions', 'sessions', least(s.sessions, \(settings.maximumSessionsCounted)), 3),
            ('session_counts', CASE WHEN s.sessions >= \(counted.count) THEN '\(counted.last!)' ELSE s.sessions::text END, 1, 4)
        ) AS h(histogram, class, amount, n)
        WHERE r.end_date BETWEEN \(Self.literal(start)) AND \(Self.literal(end)) AND s.sessions >= \(max(settings.minimumTreatmentSessions, 1))
            AND \(counts(.finished, day: "r.end_date"))
        """
    }

    /// Joins that give each of `instruments` its first and last score of the referral `r`
    /// dated on or before `upTo` (an SQL expression), and whether they are two days
    /// (`<alias>N.first`, `.last`, `.paired`; NULL scores when it has none).
    static func scores(_ instruments: [Instrument], alias: String, upTo: String) -> String {
        instruments.enumerated().map { index, instrument in
            """
            LEFT JOIN LATERAL (SELECT (array_agg(m.score ORDER BY m.date))[1] AS first, (array_agg(m.score ORDER BY m.date DESC))[1] AS last,
                                      count(*) > 1 AS paired
                               FROM measures m WHERE m.referral_key = r.referral_key AND m.instrument = '\(instrument.rawValue)'
                                   AND m.date <= \(upTo)) AS \(alias)\(index) ON true
            """
        }.joined(separator: "\n")
    }

    /// ``OutcomeClassifier/classify(_:)``'s tests over the scores joined as `<alias>N`
    /// (``scores(_:alias:upTo:)``), as SQL booleans.
    private struct ScoreTests {
        let used, caseness, improved, deteriorated, paired, recovered: String

        init(_ instruments: [(Instrument, caseness: Int, reliable: Int)], alias a: String) {
            let each = instruments.indices
            func any(_ test: (Int) -> String) -> String { "(" + each.map { "coalesce(\(test($0)), false)" }.joined(separator: " OR ") + ")" }
            func all(_ test: (Int) -> String) -> String { "(" + each.map { "(\(a)\($0).first IS NULL OR \(test($0)))" }.joined(separator: " AND ") + ")" }
            used = any { "\(a)\($0).first IS NOT NULL" }
            caseness = any { "\(a)\($0).first >= \(instruments[$0].caseness)" }
            improved = any { "\(a)\($0).first - \(a)\($0).last >= \(instruments[$0].reliable)" }
            deteriorated = any { "\(a)\($0).last - \(a)\($0).first >= \(instruments[$0].reliable)" }
            paired = all { "\(a)\($0).paired" }
            recovered = all { "\(a)\($0).last < \(instruments[$0].caseness)" }
        }

        /// ``OutcomeClass/change``.
        var change: String {
            """
            CASE WHEN NOT \(used) OR NOT \(paired) THEN 'unpaired'
                 WHEN \(improved) AND NOT \(deteriorated) THEN 'improved' WHEN \(deteriorated) AND NOT \(improved) THEN 'deteriorated'
                 ELSE 'no_change' END
            """
        }
    }

    /// ``OutcomeClass/label`` of ``OutcomeClassifier/classify(_:)``, from the first and last
    /// scores (`iN.first`, `iN.last`, `iN.paired`) of each instrument.
    private func outcomeClass(_ instruments: [(Instrument, caseness: Int, reliable: Int)]) -> String {
        let tests = ScoreTests(instruments, alias: "i")
        let prefix = "CASE WHEN \(tests.caseness) THEN 'caseness.' ELSE 'not_caseness.' END"
        return """
            CASE WHEN NOT \(tests.used) THEN 'not_caseness.unpaired'
                 WHEN NOT \(tests.paired) THEN \(prefix) || 'unpaired'
                 ELSE \(prefix)
                     || CASE WHEN \(tests.improved) AND NOT \(tests.deteriorated) THEN 'improved' WHEN \(tests.deteriorated) AND NOT \(tests.improved) THEN 'deteriorated' ELSE 'no_change' END
                     || CASE WHEN NOT \(tests.caseness) THEN '' WHEN \(tests.recovered) THEN '.recovered' ELSE '.not_recovered' END
            END
            """
    }

    /// ``WeeklyMetrics/cases(period:)``: one row a case of the period (a referral open in it,
    /// of a client not restricted, with an attended contact by its end), the columns of
    /// ``ExactCase`` in order, the change last but one and the attended treatment sessions last.
    func cases(from start: Day, to end: Day) -> String {
        let e = Self.literal(end)
        let instruments = OutcomeClassifier(settings: settings).instruments
        return """
        SELECT c.therapist_id, encode(r.referral_id, 'hex'), r.age, r.gender, r.ethnicity, r.postcode_district, r.received_date,
               greatest(0, (coalesce(n.first_treatment, \(e))::date - r.received_date::date) / 7), n.attended, d.dnas,
               s0.first, s0.last, s1.first, s1.last, \(ScoreTests(instruments, alias: "k").change), n.treatment
        FROM referrals r
        CROSS JOIN LATERAL (SELECT a.therapist_id FROM appointments a WHERE a.referral_key = r.referral_key AND a.\(Self.attended) AND a.date <= \(e)
                            ORDER BY a.date DESC, a.appointment_id DESC LIMIT 1) AS c
        CROSS JOIN LATERAL (SELECT count(*) AS attended, count(*) FILTER (WHERE a.kind = 'treatment') AS treatment,
                                   min(a.date) FILTER (WHERE a.kind = 'treatment') AS first_treatment
                            FROM appointments a WHERE a.referral_key = r.referral_key AND a.\(Self.attended) AND a.date <= \(e)) AS n
        CROSS JOIN LATERAL (SELECT count(*) AS dnas FROM appointments a WHERE a.referral_key = r.referral_key AND a.status = 'dna' AND a.date <= \(e)) AS d
        \(Self.scores([.phq9, .gad7], alias: "s", upTo: e))
        \(Self.scores(instruments.map(\.0), alias: "k", upTo: "least(\(e), coalesce(r.end_date, '9999-12-31'))"))
        WHERE r.received_date <= \(e) AND (r.end_date IS NULL OR r.end_date >= \(Self.literal(start)))
            AND NOT EXISTS (SELECT 1 FROM referrals x WHERE x.client_id = r.client_id AND x.restricted = 1)
        """
    }

    /// A class by days: the label of the first limit `days` is at most, else `above`.
    private func band(_ days: String, _ limits: [(Int, String)], _ above: String) -> String {
        "CASE " + limits.map { "WHEN \(days) <= \($0.0) THEN '\($0.1)'" }.joined(separator: " ") + " ELSE '\(above)' END"
    }

    /// ``EventBound/counts(_:client:referral:day:)`` for the referral `r`'s event `kind` on
    /// the day `day` (an SQL expression): fewer than the limit events of the kind of the same
    /// client in the 51 ISO weeks before the day's week or earlier in its own (an earlier day,
    /// or the same day and a smaller referral pseudonym). TRUE when there is no limit.
    func counts(_ kind: ReferralEvent, day: String) -> String {
        guard let limit = settings.referralsPerClientYear else { return "true" }
        let events = switch kind {
        case .received:
            "SELECT e.referral_id, e.received_date AS day FROM referrals e WHERE e.client_id = r.client_id AND e.received_date <= \(u)"
        case .ended, .finished:
            "SELECT e.referral_id, e.end_date AS day FROM referrals e WHERE e.client_id = r.client_id AND e.received_date <= \(u) AND e.end_date <= \(u)"
        case .entered:
            """
            SELECT e.referral_id, p.first_treatment AS day FROM referrals e JOIN referral_progress p ON p.referral_key = e.referral_key
            WHERE e.client_id = r.client_id AND p.first_treatment <= \(u)
            """
        case .secondSession:
            """
            SELECT e.referral_id, p.second_treatment AS day FROM referrals e JOIN referral_progress p ON p.referral_key = e.referral_key
            WHERE e.client_id = r.client_id AND p.first_treatment <= \(u) AND p.second_treatment <= \(u)
            """
        }
        let from = "to_char((\(day))::date - (extract(isodow FROM (\(day))::date)::int - 1) - 357, 'YYYY-MM-DD')"
        return """
            ((SELECT count(*) FROM (\(events)) AS ev
              WHERE ev.day >= \(from) AND (ev.day < \(day) OR (ev.day = \(day) AND ev.referral_id < r.referral_id))) < \(limit))
            """
    }

    /// The contributions of the adds `parts` (queries above, united): summed per client,
    /// class and groups, in the order their first add was made, each client a number (the
    /// pseudonym never leaves the server) and marked when restricted (any of its referrals).
    static func contributions(_ parts: [String]) -> String {
        """
        WITH adds (client_id, histogram, class, amount, therapist, modality, delivery, presenting_problem, referral_source, age, gender,
                   ethnicity, part, k_day, k_therapist, k_id, n) AS (\(parts.joined(separator: "\nUNION ALL\n"))),
        ordered AS (SELECT adds.*, row_number() OVER (ORDER BY part, k_day COLLATE "C", k_therapist COLLATE "C", k_id, n) AS seq FROM adds),
        restricted AS (SELECT DISTINCT client_id FROM referrals WHERE restricted = 1)
        SELECT dense_rank() OVER (ORDER BY o.client_id) AS client, o.histogram, o.class, sum(o.amount) AS amount,
               o.therapist, o.modality, o.delivery, o.presenting_problem, o.referral_source, o.age, o.gender, o.ethnicity,
               o.client_id IN (SELECT client_id FROM restricted) AS restricted
        FROM ordered o
        GROUP BY o.client_id, o.histogram, o.class, o.therapist, o.modality, o.delivery, o.presenting_problem, o.referral_source,
                 o.age, o.gender, o.ethnicity
        ORDER BY min(o.seq)
        """
    }
}
