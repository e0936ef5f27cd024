import ConfideModel
public import ConfideRelease
import ConfideMetrics

/// The `[privacy]` settings that shape a release.
public struct PrivacySettings: Sendable, Equatable {
    /// dp (default) or sdc.
    public var mode: ProtectionMode
    /// ε charged per weekly release, split across its budget slots by ``weights``.
    public var epsilonPerRelease: Epsilon
    /// δ (0: pure ε-DP with discrete Laplace noise).
    public var delta: Double
    /// The smallest number of clients a published cell may rest on.
    public var minClients: Int
    /// Relative budget weight per slot (`budget_group/breakdown`, for example
    /// `appointments/therapist`); slots not named take ``defaultWeights``, else 1.
    public var weights: [String: UInt64]

    /// Creates settings; the defaults are documented in `docs/privacy.md`.
    public init(mode: ProtectionMode = .dp, epsilonPerRelease: Epsilon = Epsilon(numerator: 4, denominator: 1),
                delta: Double = 0, minClients: Int = 5, weights: [String: UInt64] = [:]) {
        self.mode = mode
        self.epsilonPerRelease = epsilonPerRelease
        self.delta = delta
        self.minClients = minClients
        self.weights = weights
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

    /// The documented default weights (`docs/privacy.md`), per `histogram/breakdown` slot:
    /// practice-wide figures get the most (the practice outcomes, summed over 13 weekly draws
    /// and many classes, most of all); every other slot weighs 1.
    public static let defaultWeights: [String: UInt64] = [
        "flows/practice": 22,
        "appointments/practice": 26,
        "open_referrals/practice": 22,
        "waiting_times/practice": 8,
        "endings/practice": 4,
        "second_sessions/practice": 2,
        "outcomes/practice": 24,
        "waits/practice": 8,
        "sessions/practice": 4,
        "session_counts/practice": 2,
        "appointments/therapist": 3,
        "open_referrals/therapist": 3,
        "outcomes/therapist": 2,
    ]
}
