public import ConfideModel

/// A partition of what one client contributes: each contribution falls in exactly one class
/// (an appointment is attended or missed, never both), so the whole histogram is bounded
/// jointly per client and charged once. Published measures are sums of classes.
public struct Histogram: Sendable, Equatable {
    /// The stable id, also the budget group.
    public let id: String
    /// The table its measures belong to.
    public let table: TableName
    /// The classes, in order.
    public let classes: [String]
    /// The most one client adds in total to one group's classes (larger totals are clamped).
    public let cap: Int
    /// True when its contributions carry an appointment (therapist, modality, delivery):
    /// a referral just received has none, so it is not broken down by them.
    public var hasContact: Bool { id != "referrals_received" }
    /// Weeks summed for publication: 1 for weekly figures, 13 for the outcome window (built
    /// from weekly releases by post-processing, never by a fresh draw over overlapping data).
    public let windowWeeks: Int
    /// The breakdowns it is published by, when fewer than its table's (nil: all of them).
    public var onlyBreakdowns: Set<GroupType>? = nil
    /// The referral events its contributions are (empty for a state or repeated histogram:
    /// caseload, waiting list, appointments). A histogram of events is charged once per event
    /// over all time; any other once per release.
    public var events: Set<ReferralEvent> = []

    /// True when it is charged per event (``events`` not empty), not per release.
    public var isEvent: Bool { !events.isEmpty }

    /// True when the histogram has cells for `groupType`: contact breakdowns (therapist,
    /// modality, delivery) need a contact, and ``onlyBreakdowns`` narrows the rest.
    public func isPublished(by groupType: GroupType) -> Bool {
        if !hasContact && Group.isContactBreakdown(groupType) { return false }
        return onlyBreakdowns?.contains(groupType) ?? true
    }
}
