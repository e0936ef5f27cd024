import ConfideModel
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
    /// Relative budget weight per slot (`budget_group/breakdown`, for example
    /// `appointments/therapist`); slots not named take ``defaultWeights``, else 1.
    public var weights: [String: UInt64]

    /// Creates settings; the defaults are documented in `docs/privacy.md`.
    public init(mode: ProtectionMode = .dp, epsilonPerWeek: Epsilon = PrivacySettings.defaultEpsilonPerWeek,
                epsilonPerReferral: Epsilon = PrivacySettings.defaultEpsilonPerReferral,
                referralsPerClientYear: Int = PrivacySettings.defaultReferralsPerClientYear,
                delta: Double = 0, minClients: Int = 5, weights: [String: UInt64] = [:]) {
        self.mode = mode
        self.epsilonPerWeek = epsilonPerWeek
        self.epsilonPerReferral = epsilonPerReferral
        self.referralsPerClientYear = referralsPerClientYear
        self.delta = delta
        self.minClients = minClients
        self.weights = weights
    }

    /// The default ε of each weekly release's state figures.
    public static let defaultEpsilonPerWeek = Epsilon(numerator: 6, denominator: 5)
    /// The default ε of one referral's events over its life.
    public static let defaultEpsilonPerReferral = Epsilon(numerator: 12, denominator: 1)
    /// The default bound: events of one kind a client may contribute in any 52 weeks.
    public static let defaultReferralsPerClientYear = 2

    /// The worst case of one client over any 52 weeks of weekly releases at these settings:
    /// 52 releases' state figures and the events of ``referralsPerClientYear`` referrals.
    public var worstCaseWeeklyYear: Double {
        mode == .sdc ? 0 : 52 * epsilonPerWeek.value + Double(referralsPerClientYear) * epsilonPerReferral.value
    }

    /// Every budget slot a weight may name: `histogram/breakdown` for each histogram of the
    /// catalogue and each breakdown (including `practice`) it can be published by, when a dp
    /// release reads it there (``Protector/dpSlots(_:)``: `referrals_received/practice` is not
    /// a slot, since the practice count comes from `flows/practice`).
    public static let slotIDs: Set<String> = Set(Catalogue.histograms.flatMap { histogram in
        GroupType.allCases.filter { groupType in
            histogram.isPublished(by: groupType)
                && Catalogue.measures.contains { $0.table == histogram.table && $0.readsInDP(histogram.id, by: groupType) }
        }.map { histogram.id + "/" + $0.rawValue }
    })

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
        "outcomes/therapist": 2,
    ]
}
