public import ConfideModel

/// The outcome measures a practice scores with.
public enum OutcomeInstruments: String, Sendable, Codable, CaseIterable {
    /// PHQ-9 for depression and GAD-7 for anxiety (NHS Talking Therapies).
    case phq9Gad7 = "phq9_gad7"
    /// CORE-10 alone.
    case core10
}

/// Every threshold, window and band of the definitions, with the documented defaults
/// (`docs/metrics.md`). Changing one changes the figures: the definition version published
/// with each table records the catalogue, and the manifest records the configuration hash.
public struct MetricSettings: Sendable, Equatable {
    /// Days without an attended contact after which an open referral leaves the active caseload.
    public var activeContactDays = 90
    /// Weeks in the outcome window (referrals that ended in it).
    public var outcomeWindowWeeks = 13
    /// Attended treatment sessions that make a finished course.
    public var minimumTreatmentSessions = 2
    /// Which instruments define caseness, recovery and reliable change.
    public var instruments = OutcomeInstruments.phq9Gad7
    /// PHQ-9 caseness: first score at or above this.
    public var phq9Caseness = 10
    /// GAD-7 caseness.
    public var gad7Caseness = 8
    /// PHQ-9 reliable change, in points.
    public var phq9ReliableChange = 6
    /// GAD-7 reliable change, in points.
    public var gad7ReliableChange = 4
    /// CORE-10 clinical cut-off (secondary sources: see `docs/metrics.md`).
    public var core10Caseness = 11
    /// CORE-10 reliable change index (secondary sources).
    public var core10ReliableChange = 6
    /// Session counts above this are clamped when summed for the mean.
    public var maximumSessionsCounted = 20
    /// Age bands at referral.
    public var ageBands = AgeBands()
    /// Breakdowns of the weekly caseload table besides the practice (`therapist` is left out:
    /// therapist figures are released per supervision period).
    public var caseloadBreakdowns: [GroupType] = []
    /// The lifetime bound of the event histograms (``EventBound``): events of one kind a
    /// client may contribute in any 52 weeks; nil for no bound (disclosure control, exact).
    public var referralsPerClientYear: Int? = nil
    /// `[supervision] period_weeks`: weeks in a supervision period (``SupervisionPeriod``), one
    /// of 1, 2, 4 and 13; therapist figures are released once per period.
    public var supervisionPeriodWeeks = 4
    /// `[supervision] not_on_track_sessions`: a case is "not on track" when it has had this many
    /// attended treatment sessions without reliable improvement (case lists).
    public var notOnTrackSessions = 6
    /// Breakdowns of the outcomes table besides the practice.
    public var outcomeBreakdowns: [GroupType] = GroupType.allCases.filter { $0 != .practice }

    /// The defaults.
    public init() {}
}
