public import ConfideModel
import ConfideStore

extension WeeklyMetrics {
    /// The exact therapist release of a supervision period, by therapist only: the period's
    /// appointments and clients seen, open referrals at its last day, referrals ended in it,
    /// and the outcome classes of courses finished in the last `outcomeWeeks` weeks to its end
    /// (the period's own weeks for a dp release, whose 52-week window is summed from period
    /// releases afterwards; 52 for disclosure control, computed exactly).
    ///
    /// A referral's therapist is that of its latest attended contact at the event (as in the
    /// weekly breakdowns); referrals without one fall in ``Group/noContactName``, drawn and never
    /// published, so that the therapists' figures are those of the practice's partition.
    public func compute(period: SupervisionPeriod, outcomeWeeks: Int) throws -> ExactRelease {
        try db.read { _ in
            let counts = eventCounts(upTo: period.last.end)
            let histograms = Catalogue.supervisionHistograms(periodWeeks: settings.supervisionPeriodWeeks)
            let domains = [GroupType.therapist: try therapists(activeIn: period.last) + [Group.noContactName]]
            let start = period.first.start, end = period.last.end
            var caseload = TableBuilder(name: .caseload, histograms: histograms, measures: Catalogue.supervisionMeasures, breakdowns: [.therapist])
            caseload.declare(domains)
            try appointments(from: start, to: end, into: &caseload, seen: true)
            try openReferrals(at: end, into: &caseload)
            for facts in try loader.load(where: "r.end_date BETWEEN ?1 AND ?2", [start.iso, end.iso], upTo: end, scores: false) {
                guard try counts(.ended, facts, facts.end!) else { continue }
                caseload.add("endings", "ended", client: facts.client,
                             groups: facts.groups(contact: facts.lastContact(onOrBefore: facts.end!), ageBands: settings.ageBands))
            }
            var outcomes = TableBuilder(name: .outcomes, histograms: histograms, measures: Catalogue.supervisionMeasures, breakdowns: [.therapist])
            outcomes.declare(domains)
            try finishedCourses(from: period.last.adding(weeks: -(outcomeWeeks - 1)).start, to: end, into: &outcomes, counts: counts)
            return ExactRelease(period: period.last, tables: [caseload.build(weeksCovered: period.weekCount), outcomes.build(weeksCovered: outcomeWeeks)],
                                supervision: period)
        }
    }
}
