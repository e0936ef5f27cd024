/// Something that happens once in a referral's life. A histogram of such events holds each
/// referral in one cell of one week over all time, so the whole weekly series of it is one
/// measurement of that referral (parallel composition across weeks): it is charged once per
/// event, not once per week (`docs/privacy.md`, "Lifetime accounting").
public enum ReferralEvent: String, Sendable, Codable, CaseIterable, Comparable {
    /// The referral was received.
    case received
    /// Its first attended treatment session.
    case entered
    /// Its second attended treatment session.
    case secondSession = "second_session"
    /// It ended (any reason).
    case ended
    /// It ended as a finished course (at least the minimum treatment sessions), with an outcome.
    case finished

    /// Ordered as declared.
    public static func < (a: ReferralEvent, b: ReferralEvent) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
