public import ConfideRelease

/// What a report shows besides the release itself.
public struct ReportContext: Sendable {
    /// The practice's name from the configuration.
    public var practiceName: String
    /// Earlier releases, oldest first (at most the last 26 are drawn).
    public var history: [ProtectedRelease]
    /// ε spent in the rolling 52 weeks that end with this release, as a decimal.
    public var rollingEpsilon: String
    /// The yearly cap, as a decimal.
    public var epsilonCap: String
    /// The tool version.
    public var toolVersion: String

    /// Creates a context.
    public init(practiceName: String, history: [ProtectedRelease], rollingEpsilon: String, epsilonCap: String, toolVersion: String) {
        self.practiceName = practiceName
        self.history = history
        self.rollingEpsilon = rollingEpsilon
        self.epsilonCap = epsilonCap
        self.toolVersion = toolVersion
    }
}
