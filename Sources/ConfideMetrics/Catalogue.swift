import ConfideModel

/// The metric catalogue: every histogram and every published measure, with stable ids.
/// Definitions, sources and conventions are in `docs/metrics.md`.
public enum Catalogue {
    /// The version of the definitions, recorded with every published table.
    public static let definitionVersion = "confide-metrics-6"

    /// Open-referral classes: in treatment or waiting × seen in the last 90 days or not. How
    /// long a waiting referral has waited is its own histogram, ``waitingTimeClasses``, so
    /// that the caseload and the waiting list are each a sum of two noisy cells, not four and six.
    public static let openClasses = ["treatment", "waiting"].flatMap { ["\($0).contact", "\($0).no_contact"] }
    /// Waiting-time classes of an open referral not yet in treatment, by time since referral.
    public static let waitingTimeClasses = ["0_6_weeks", "6_18_weeks", "over_18_weeks"]
    /// The practice's weekly flows, one histogram for three counts: a referral received, a
    /// first treatment session, a referral ended. Its cap is 1: a client-week counts in one of
    /// them (a weekly bound, as a client sees about one therapist a week; the rare client with
    /// two such events in one week counts in the first), so in dp mode the three share one
    /// charge and give the practice-wide `referrals_received`, `entered_treatment` and
    /// `referrals_ended`.
    public static let flowClasses = ["received", "entered", "ended"]
    /// Outcome classes of a finished course (see ``OutcomeClass``).
    public static let outcomeClasses: [String] = OutcomeClass.all.map(\.label)
    /// Wait classes of a finished course: referral to first treatment.
    public static let waitClasses = ["within_6_weeks", "within_18_weeks", "over_18_weeks"]
    /// First-to-second treatment session classes.
    public static let secondSessionClasses = ["within_28_days", "within_90_days", "over_90_days"]
    /// Appointment classes: the statuses, except that `attended_late` counts as `attended`
    /// (every measure adds the two, and one cell carries half the noise of two).
    public static let appointmentClasses = AppointmentStatus.allCases.filter { $0 != .attendedLate }.map(\.rawValue)

    /// The appointment class of a status (see ``appointmentClasses``).
    public static func appointmentClass(_ status: String) -> String {
        status == AppointmentStatus.attendedLate.rawValue ? AppointmentStatus.attended.rawValue : status
    }
    /// Attended treatment sessions of a finished course, as classes for the median: `"1"` to
    /// `"19"`, then `"20_plus"`.
    public static let sessionCountClasses = (1...19).map(String.init) + ["20_plus"]
    /// Ending classes: end reason × taken on for treatment (at least one attended treatment session).
    public static let endingClasses = EndReason.allCases.flatMap { ["\($0.rawValue).taken_on", "\($0.rawValue).not_taken_on"] }

    /// Every histogram.
    public static let histograms: [Histogram] = [
        Histogram(id: "referrals_received", table: .caseload, classes: ["received"], cap: 1, windowWeeks: 1, events: [.received]),
        Histogram(id: "entered_treatment", table: .caseload, classes: ["entered"], cap: 1, windowWeeks: 1, events: [.entered]),
        Histogram(id: "appointments", table: .caseload, classes: appointmentClasses, cap: 2, windowWeeks: 1),
        Histogram(id: "open_referrals", table: .caseload, classes: openClasses, cap: 1, windowWeeks: 1),
        Histogram(id: "waiting_times", table: .caseload, classes: waitingTimeClasses, cap: 1, windowWeeks: 1),
        Histogram(id: "endings", table: .caseload, classes: endingClasses, cap: 1, windowWeeks: 1, events: [.ended]),
        Histogram(id: "flows", table: .caseload, classes: flowClasses, cap: 1, windowWeeks: 1, onlyBreakdowns: [.practice],
                  events: [.received, .entered, .ended]),
        Histogram(id: "second_sessions", table: .caseload, classes: secondSessionClasses, cap: 1, windowWeeks: 1, events: [.secondSession]),
        Histogram(id: "outcomes", table: .outcomes, classes: outcomeClasses, cap: 1, windowWeeks: 13, events: [.finished]),
        Histogram(id: "waits", table: .outcomes, classes: waitClasses, cap: 1, windowWeeks: 13, events: [.finished]),
        Histogram(id: "sessions", table: .outcomes, classes: ["sessions"], cap: 20, windowWeeks: 13, events: [.finished]),
        Histogram(id: "session_counts", table: .outcomes, classes: sessionCountClasses, cap: 1, windowWeeks: 13,
                  onlyBreakdowns: [.practice], events: [.finished]),
    ]

    /// The histogram with `id` (of the weekly catalogue, else one only supervision releases have).
    public static func histogram(_ id: String) -> Histogram? {
        histograms.first { $0.id == id } ?? supervisionHistograms(periodWeeks: 4).first { $0.id == id }
    }

    /// Class sums of different histograms that count the same thing for the practice: the
    /// practice's referrals received, entries and endings are each one class of `flows` and the
    /// whole of their own histogram. Consistency (dp) estimates each shared total once from all
    /// its measurements, so the endings by reason add up to the `referrals_ended` total.
    public static let sharedTotals: [[ClassSum]] = [
        [ClassSum("flows", ["received"]), ClassSum("referrals_received", ["received"])],
        [ClassSum("flows", ["entered"]), ClassSum("entered_treatment", ["entered"])],
        [ClassSum("flows", ["ended"]), ClassSum("endings", endingClasses)],
        [ClassSum("outcomes", outcomeClasses), ClassSum("waits", waitClasses), ClassSum("session_counts", sessionCountClasses)],
    ]

    private static func classes(_ histogram: String, where keep: (String) -> Bool) -> [String] {
        Catalogue.histogram(histogram)!.classes.filter(keep)
    }

    private static func outcome(where keep: (OutcomeClass) -> Bool) -> ClassSum {
        ClassSum("outcomes", OutcomeClass.all.filter(keep).map(\.label))
    }

    private static func count(_ id: String, _ name: String, _ table: TableName, _ sum: ClassSum) -> Measure {
        Measure(id: id, name: name, table: table, formula: .count(histogram: sum.histogram, classes: sum.classes))
    }

    private static func rate(_ id: String, _ name: String, _ table: TableName, _ numerator: ClassSum, _ denominator: ClassSum) -> Measure {
        Measure(id: id, name: name, table: table, formula: .rate(numerator: numerator, denominator: denominator))
    }

    static let booked = ClassSum("appointments", appointmentClasses)
    static let attended = ClassSum("appointments", ["attended"])
    static let dna = ClassSum("appointments", ["dna"])
    static let takenOn = ClassSum("endings", endingClasses.filter { $0.hasSuffix(".taken_on") })
    static let finished = ClassSum("waits", waitClasses)
    /// Finished courses counted from the outcome classes, so that `at_caseness` and `recovered`
    /// (parts of them) can never exceed `finished_treatment` (`confide-metrics-6`).
    static let finishedByOutcome = ClassSum("outcomes", outcomeClasses)
    static let atCaseness = outcome { $0.atCaseness }

    /// Every published measure, in publication order.
    public static let measures: [Measure] = caseloadMeasures + outcomeMeasures

    static let caseloadMeasures: [Measure] = [
        Measure(id: "referrals_received", name: "Referrals received", table: .caseload,
                formula: .count(histogram: "referrals_received", classes: ["received"]), noisyTotal: ClassSum("flows", ["received"])),
        Measure(id: "entered_treatment", name: "Referrals entering treatment", table: .caseload,
                formula: .count(histogram: "entered_treatment", classes: ["entered"]), noisyTotal: ClassSum("flows", ["entered"])),
        count("appointments_attended", "Appointments attended", .caseload, attended),
        count("appointments_dna", "Appointments not attended (DNA)", .caseload, dna),
        count("appointments_cancelled_by_client", "Appointments cancelled by the client", .caseload, ClassSum("appointments", ["cancelled_by_client"])),
        count("appointments_cancelled_by_practice", "Appointments cancelled by the practice", .caseload, ClassSum("appointments", ["cancelled_by_practice"])),
        rate("dna_rate", "DNA rate (% of attended + DNA)", .caseload, dna, ClassSum("appointments", ["attended", "dna"])),
        rate("cancelled_by_client_rate", "Cancelled by client (% of booked)", .caseload, ClassSum("appointments", ["cancelled_by_client"]), booked),
        rate("cancelled_by_practice_rate", "Cancelled by practice (% of booked)", .caseload, ClassSum("appointments", ["cancelled_by_practice"]), booked),
        count("appointments_cancelled", "Appointments cancelled (by whom not recorded)", .caseload, ClassSum("appointments", ["cancelled"])),
        rate("cancelled_rate", "Cancelled, by whom not recorded (% of booked)", .caseload, ClassSum("appointments", ["cancelled"]), booked),
        count("active_caseload", "Active caseload (open, seen in the last 90 days)", .caseload,
              ClassSum("open_referrals", ["treatment.contact", "waiting.contact"])),
        count("open_no_contact_90_days", "Open referrals with no contact for over 90 days", .caseload,
              ClassSum("open_referrals", ["treatment.no_contact", "waiting.no_contact"])),
        count("waiting_list", "Waiting list (open, not yet in treatment)", .caseload,
              ClassSum("open_referrals", ["waiting.contact", "waiting.no_contact"])),
        count("waiting_over_6_weeks", "Waiting over 6 weeks", .caseload, ClassSum("waiting_times", ["6_18_weeks", "over_18_weeks"])),
        count("waiting_over_18_weeks", "Waiting over 18 weeks", .caseload, ClassSum("waiting_times", ["over_18_weeks"])),
        Measure(id: "referrals_ended", name: "Referrals ended", table: .caseload,
                formula: .count(histogram: "endings", classes: endingClasses), noisyTotal: ClassSum("flows", ["ended"])),
    ] + EndReason.allCases.map { reason in
        count("referrals_ended_\(reason.rawValue)", "Referrals ended: \(String(reason.rawValue.map { $0 == "_" ? " " : $0 }))", .caseload,
              ClassSum("endings", ["\(reason.rawValue).taken_on", "\(reason.rawValue).not_taken_on"]))
    } + [
        rate("planned_ending_rate", "Planned endings (% of ended after treatment began)", .caseload, ClassSum("endings", ["completed.taken_on"]), takenOn),
        rate("dropout_rate", "Dropout (% of ended after treatment began)", .caseload, ClassSum("endings", ["dropped_out.taken_on"]), takenOn),
        count("second_treatment_sessions", "Second treatment sessions", .caseload, ClassSum("second_sessions", secondSessionClasses)),
        rate("first_to_second_over_28_days_rate", "First to second session over 28 days (%)", .caseload,
             ClassSum("second_sessions", ["within_90_days", "over_90_days"]), ClassSum("second_sessions", secondSessionClasses)),
        rate("first_to_second_over_90_days_rate", "First to second session over 90 days (%)", .caseload,
             ClassSum("second_sessions", ["over_90_days"]), ClassSum("second_sessions", secondSessionClasses)),
    ]

    static let outcomeMeasures: [Measure] = [
        count("finished_treatment", "Finished a course of treatment", .outcomes, finishedByOutcome),
        count("at_caseness", "Finished and at caseness at the start", .outcomes, atCaseness),
        rate("paired_completeness_rate", "Finishers with paired scores (%)", .outcomes, outcome { $0.paired }, ClassSum("outcomes", outcomeClasses)),
        count("recovered", "Recovered", .outcomes, outcome { $0.recovered }),
        rate("recovery_rate", "Recovery rate (%)", .outcomes, outcome { $0.recovered }, atCaseness),
        rate("reliable_improvement_rate", "Reliable improvement (%)", .outcomes, outcome { $0.change == .improved }, ClassSum("outcomes", outcomeClasses)),
        rate("reliable_deterioration_rate", "Reliable deterioration (%)", .outcomes, outcome { $0.change == .deteriorated }, ClassSum("outcomes", outcomeClasses)),
        rate("no_reliable_change_rate", "No reliable change (%)", .outcomes, outcome { $0.change == .noChange }, ClassSum("outcomes", outcomeClasses)),
        rate("reliable_recovery_rate", "Reliable recovery (%)", .outcomes, outcome { $0.recovered && $0.change == .improved }, atCaseness),
        rate("waited_6_weeks_rate", "Started treatment within 6 weeks (%)", .outcomes, ClassSum("waits", ["within_6_weeks"]), finished),
        rate("waited_18_weeks_rate", "Started treatment within 18 weeks (%)", .outcomes, ClassSum("waits", ["within_6_weeks", "within_18_weeks"]), finished),
        Measure(id: "mean_treatment_sessions", name: "Mean attended treatment sessions per finished course", table: .outcomes,
                formula: .mean(sum: ClassSum("sessions", ["sessions"]), count: finished)),
        Measure(id: "median_treatment_sessions", name: "Median attended treatment sessions per finished course", table: .outcomes,
                formula: .median(ClassSum("session_counts", sessionCountClasses))),
    ]

    /// The histograms of a supervision release (``SupervisionPeriod``), drawn per therapist and
    /// period of `periodWeeks` weeks: appointments (a client adds at most
    /// ``supervisionAppointmentCap(periodWeeks:)``), clients seen, open referrals at the period's
    /// end, referrals ended, and finished courses' outcome classes, whose 52-week window sums the
    /// periods of a year (events, so a course is charged once over all periods).
    public static func supervisionHistograms(periodWeeks: Int) -> [Histogram] {
        [
            Histogram(id: "clients_seen", table: .caseload, classes: ["seen"], cap: 1, windowWeeks: 1),
            Histogram(id: "appointments", table: .caseload, classes: appointmentClasses,
                      cap: supervisionAppointmentCap(periodWeeks: periodWeeks), windowWeeks: 1),
            Histogram(id: "open_referrals", table: .caseload, classes: openClasses, cap: 1, windowWeeks: 1),
            Histogram(id: "endings", table: .caseload, classes: ["ended"], cap: 1, windowWeeks: 1, events: [.ended]),
            Histogram(id: "outcomes", table: .outcomes, classes: outcomeClasses, cap: 1, windowWeeks: 52 / periodWeeks,
                      events: [.finished]),
        ]
    }

    /// The most appointments one client adds to a therapist's period (any status): one a week
    /// (two for a one-week period, as weekly). On the demo practice this keeps 99.3% of a
    /// period's appointments (a cap of 5 would keep all of them at 25% more noise).
    public static func supervisionAppointmentCap(periodWeeks: Int) -> Int { max(2, periodWeeks) }

    /// The measures of a supervision release, per therapist: the period's clients seen,
    /// appointments, DNA rate, caseload and waiting list at its end, referrals ended; the
    /// outcomes of the courses that finished in the 52 weeks to its end.
    public static let supervisionMeasures: [Measure] = [
        count("clients_seen", "Distinct clients seen (at least one attended appointment)", .caseload, ClassSum("clients_seen", ["seen"])),
        count("appointments_attended", "Appointments attended", .caseload, attended),
        count("appointments_dna", "Appointments not attended (DNA)", .caseload, dna),
        rate("dna_rate", "DNA rate (% of attended + DNA)", .caseload, dna, ClassSum("appointments", ["attended", "dna"])),
        count("active_caseload", "Active caseload (open, seen in the last 90 days)", .caseload,
              ClassSum("open_referrals", ["treatment.contact", "waiting.contact"])),
        count("waiting_list", "Waiting list (open, not yet in treatment)", .caseload,
              ClassSum("open_referrals", ["waiting.contact", "waiting.no_contact"])),
        count("referrals_ended", "Referrals ended", .caseload, ClassSum("endings", ["ended"])),
        count("finished_treatment", "Finished a course of treatment", .outcomes, finishedByOutcome),
        rate("recovery_rate", "Recovery rate (%)", .outcomes, outcome { $0.recovered }, atCaseness),
        rate("reliable_improvement_rate", "Reliable improvement (%)", .outcomes, outcome { $0.change == .improved }, ClassSum("outcomes", outcomeClasses)),
        rate("reliable_deterioration_rate", "Reliable deterioration (%)", .outcomes, outcome { $0.change == .deteriorated }, ClassSum("outcomes", outcomeClasses)),
    ]

    /// The measure with `id`.
    public static func measure(_ id: String) -> Measure? { measures.first { $0.id == id } }
}
