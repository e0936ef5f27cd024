/// What happened to one week.
public struct WeekOutcome: Sendable, Equatable {
    /// The ISO week.
    public let period: String
    /// The published folder.
    public let path: String
    /// `published` (new files), `unchanged` (already published, byte for byte) or
    /// `republished` (the stored release rendered again).
    public let status: String
    /// The most this run's releases can cost one client: their state figures and one event of each
    /// kind (the week's and, when it closes a period, the supervision release's) (0 when the stored release was reused; `ReleaseCharge.worstCase`).
    public let epsilonCharged: Double
    /// The supervision period whose therapist figures the week's folder also holds
    /// (`YYYY-Www/YYYY-Www`), when the week closes one.
    public var supervisionPeriod: String? = nil
    /// The `[quality]` checks the week failed and was published despite (`--accept-quality`).
    public var qualityAccepted: [String] = []
    /// True when the data behind an already released week changed since its release.
    public let dataChangedSinceRelease: Bool
    /// The metric definitions (`definition_version`) the stored release was computed with,
    /// when they differ from this version's: its exact figures differ for that reason alone.
    public var releasedDefinitions: String? = nil
}
