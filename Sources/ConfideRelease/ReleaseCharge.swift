public import ConfideModel

/// What a release costs one client, by the two kinds of budget slot (`docs/privacy.md`,
/// "Lifetime accounting").
///
/// - State slots (caseload, waiting list, appointments) hold a client week after week: every
///   release charges ``perRelease`` to every client.
/// - Event slots hold a referral in one cell of one week over all time: a release charges
///   ``perEvent``[kind] only to a client with an event of that kind in its week, and the event
///   bound lets a client have at most ``eventsPerYear`` events of a kind in any 52 weeks.
public struct ReleaseCharge: Sendable, Equatable {
    /// The ε of the state slots (0 when there are none, and in sdc mode).
    public let perRelease: Epsilon?
    /// The ε one event of each kind costs in this release: the sum over the event slots that
    /// hold that kind.
    public let perEvent: [ReferralEvent: Epsilon]
    /// Events of one kind a client may contribute in any 52 weeks (0 in sdc mode).
    public let eventsPerYear: Int

    /// Creates a charge.
    public init(perRelease: Epsilon?, perEvent: [ReferralEvent: Epsilon], eventsPerYear: Int) {
        self.perRelease = perRelease
        self.perEvent = perEvent
        self.eventsPerYear = eventsPerYear
    }

    /// Nothing charged (sdc mode).
    public static let none = ReleaseCharge(perRelease: nil, perEvent: [:], eventsPerYear: 0)

    /// The most this release alone can cost one client: its state part and one event of each kind.
    public var worstCase: Double { (perRelease?.value ?? 0) + perEvent.values.map(\.value).reduce(0, +) }
}
