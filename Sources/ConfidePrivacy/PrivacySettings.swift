public import ConfideModel
public import ConfideRelease
import ConfideMetrics

/// The `[privacy]` settings that shape a release.
public struct PrivacySettings: Sendable, Equatable {
    /// dp (default) or sdc.
    public var mode: ProtectionMode
    /// ε of each weekly release's state and repeated figures (caseload, waiting list,
    /// appointments: a client is in them week after week), split across the release's state
    /// slots by ``weights``. Charged once per release.
    public var epsilonPerWeek: Epsilon
    /// ε of one referral's events over its whole life (received, entered treatment, second
    /// session, ended, finished with its outcome), split across the event slots by ``weights``
    /// times the events a slot holds per referral. Charged once per event, not per release.
    public var epsilonPerReferral: Epsilon
    /// Events of one kind a client may contribute in any 52 weeks (the lifetime bound of the
    /// event histograms: at most this many referrals a year count).
    public var referralsPerClientYear: Int
    /// δ (0: pure ε-DP with discrete Laplace noise).
    public var delta: Double
    /// The smallest number of clients a published cell may rest on.
    public var minClients: Int
    /// `min_clients_under_18`: the smallest number of clients a published cell of an age band
    /// holding ages under 18 may rest on (at least ``minClients``; ``minClients(groupType:group:)``).
    public var minClientsUnder18: Int = PrivacySettings.defaultMinClientsUnder18
    /// `[supervision] period_weeks`: weeks in a supervision period (1, 2, 4 or 13).
    public var supervisionPeriodWeeks: Int
    /// `[supervision] epsilon_per_year`: ε of a year of supervision releases' state figures
    /// (a therapist's appointments, clients seen, caseload and waiting list); each period's
    /// release is charged its share, ``supervisionEpsilonPerPeriod``.
    public var supervisionEpsilonPerYear: Epsilon
    /// `[supervision] epsilon_per_referral`: ε of one referral's events (ended, finished with
    /// its outcome) in the supervision releases, charged once per event.
    public var supervisionEpsilonPerReferral: Epsilon
    /// Relative budget weight per slot (`budget_group/breakdown`, for example
    /// `appointments/therapist`); slots not named take ``defaultWeights``, else 1.
    public var weights: [String: UInt64]

    /// Creates settings; the defaults are documented in `docs/privacy.md`.
    public init(mode: ProtectionMode = .dp, epsilonPerWeek: Epsilon = PrivacySettings.defaultEpsilonPerWeek,
                epsilonPerReferral: Epsilon = PrivacySettings.defaultEpsilonPerReferral,
                referralsPerClientYear: Int = PrivacySettings.defaultReferralsPerClientYear,
                delta: Double = 0, minClients: Int = 5, weights: [String: UInt64] = [:],
                supervisionPeriodWeeks: Int = 4, supervisionEpsilonPerYear: Epsilon = PrivacySettings.defaultSupervisionEpsilonPerYear,
                supervisionEpsilonPerReferral: Epsilon = PrivacySettings.defaultSupervisionEpsilonPerReferral) {
        self.mode = mode
        self.epsilonPerWeek = epsilonPerWeek
        self.epsilonPerReferral = epsilonPerReferral
        self.referralsPerClientYear = referralsPerClientYear
        self.delta = delta
        self.minClients = minClients
        self.weights = weights
        self.supervisionPeriodWeeks = supervisionPeriodWeeks
        self.supervisionEpsilonPerYear = supervisionEpsilonPerYear
        self.supervisionEpsilonPerReferral = supervisionEpsilonPerReferral
    }

    /// The default `min_clients_under_18`.
    public static let defaultMinClientsUnder18 = 10

    /// The threshold of a cell of `group` in `groupType`: ``minClientsUnder18`` (never less than
    /// ``minClients``) for an age band that holds ages under 18 (`under_16`, `16-17`, a band
    /// such as `16-24` that reaches below 18), else ``minClients``.
    public func minClients(groupType: GroupType, group: String) -> Int {
        guard groupType == .ageBand, Self.holdsAgesUnder18(band: group) else { return minClients }
        return max(minClients, minClientsUnder18)
    }

    /// True when the age band labelled `band` (``AgeBands/label(_:)``) holds an age under 18.
    static func holdsAgesUnder18(band: String) -> Bool {
        if band.hasPrefix("under_") { return true }
        let lower = band.prefix { $0.isNumber }
        guard let low = Int(lower), !lower.isEmpty else { return false }
        return low < 18
    }

    /// The default ε of each weekly release's state figures.
    public static let defaultEpsilonPerWeek = Epsilon(numerator: 11, denominator: 10)
    /// The default ε of one referral's events over its life.
    public static let defaultEpsilonPerReferral = Epsilon(numerator: 10, denominator: 1)
    /// The default bound: events of one kind a client may contribute in any 52 weeks.
    public static let defaultReferralsPerClientYear = 2

    /// The default ε of a year of supervision releases' state figures.
    public static let defaultSupervisionEpsilonPerYear = Epsilon(numerator: 99, denominator: 5)
    /// The default ε of one referral's events in the supervision releases.
    public static let defaultSupervisionEpsilonPerReferral = Epsilon(numerator: 1, denominator: 4)

    /// The ε of one supervision period's state figures: ``supervisionEpsilonPerYear`` × weeks / 52
    /// (at most 52 / weeks periods close in any 52 weeks, so a year of them costs the yearly ε).
    public var supervisionEpsilonPerPeriod: Epsilon {
        Epsilon(numerator: supervisionEpsilonPerYear.numerator * UInt64(supervisionPeriodWeeks),
                denominator: supervisionEpsilonPerYear.denominator * 52)
    }

    /// Events of one kind a client may contribute to the supervision releases of any 52 weeks:
    /// the releases closing in 52 weeks hold the events of up to 52 + weeks − 1 weeks, which
    /// hold at most twice ``referralsPerClientYear`` (once when periods are single weeks).
    public var supervisionEventsPerYear: Int { supervisionPeriodWeeks == 1 ? referralsPerClientYear : 2 * referralsPerClientYear }

    /// The worst case of one client over any 52 weeks of weekly releases at these settings:
    /// 52 releases' state figures and the events of ``referralsPerClientYear`` referrals.
    public var worstCaseWeeklyYear: Double {
        mode == .sdc ? 0 : 52 * epsilonPerWeek.value + Double(referralsPerClientYear) * epsilonPerReferral.value
    }

    /// The worst case of one client over any 52 weeks of supervision releases: a year of their
    /// state figures and ``supervisionEventsPerYear`` events of each kind.
    public var worstCaseSupervisionYear: Double {
        mode == .sdc ? 0 : supervisionEpsilonPerYear.value + Double(supervisionEventsPerYear) * supervisionEpsilonPerReferral.value
    }

    /// The worst case of one client over any 52 weeks of weekly and supervision releases.
    public var worstCaseYear: Double { worstCaseWeeklyYear + worstCaseSupervisionYear }

    /// Every budget slot a weight may name: `histogram/breakdown` for each histogram of the
    /// catalogue and each breakdown (including `practice`) it can be published by, when a dp
    /// release reads it there (``Protector/dpSlots(_:)``: `referrals_received/practice` is not
    /// a slot, since the practice count comes from `flows/practice`).
    public static let slotIDs: Set<String> = Set(Catalogue.histograms.flatMap { histogram in
        GroupType.allCases.filter { groupType in
            groupType != .therapist && histogram.isPublished(by: groupType)
                && Catalogue.measures.contains { $0.table == histogram.table && $0.readsInDP(histogram.id, by: groupType) }
        }.map { histogram.id + "/" + $0.rawValue }
    } + Catalogue.supervisionHistograms(periodWeeks: 4).map { $0.id + "/" + GroupType.therapist.rawValue })

    /// Slots of earlier definitions that are gone, with the slot that took their place
    /// (`confide-metrics-5`: the practice's three weekly flows share one slot).
    public static let replacedSlots: [String: String] = [
        "referrals_received/practice": "flows/practice",
        "entered_treatment/practice": "flows/practice",
        "ended/practice": "flows/practice",
    ]

    /// The documented default weights (`docs/privacy.md`), per `histogram/breakdown` slot.
    /// State slots share ``epsilonPerWeek``, event slots ``epsilonPerReferral``; within each,
    /// practice-wide figures get the most (the practice outcomes, summed over 13 weekly cells,
    /// most of all); every other slot weighs 1.
    public static let defaultWeights: [String: UInt64] = [
        // State: each weekly release.
        "appointments/practice": 36,
        "open_referrals/practice": 14,
        "waiting_times/practice": 8,
        // Events: once per referral.
        "flows/practice": 8,
        "endings/practice": 8,
        "second_sessions/practice": 4,
        "outcomes/practice": 24,
        "waits/practice": 6,
        "sessions/practice": 4,
        "session_counts/practice": 2,
        // Supervision, state: each period's release.
        "appointments/therapist": 6,
        "clients_seen/therapist": 3,
        "open_referrals/therapist": 4,
        // Supervision, events: once per referral.
        "endings/therapist": 1,
        "outcomes/therapist": 3,
    ]
}
