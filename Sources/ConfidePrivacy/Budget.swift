import ConfideMetrics
import ConfideModel
import ConfideRelease

/// How a dp release's budget is split over its slots: state slots share
/// ``PrivacySettings/epsilonPerWeek`` in proportion to their weights; event slots share
/// ``PrivacySettings/epsilonPerReferral`` in proportion to their weight times the events a
/// slot holds per referral (`flows` holds three: received, entered, ended), so that one
/// referral's events over its life cost exactly `epsilonPerReferral`.
///
/// A supervision release (``ExactRelease/supervision``) splits its own budgets the same way:
/// ``PrivacySettings/supervisionEpsilonPerPeriod`` over its state slots and
/// ``PrivacySettings/supervisionEpsilonPerReferral`` over its event slots.
struct Budget {
    /// The state slots drawn, with their histograms.
    let stateSlots: [(BudgetSlot, Histogram)]
    /// The event slots drawn, with their histograms.
    let eventSlots: [(BudgetSlot, Histogram)]
    private let stateWeight: UInt64
    private let eventWeight: UInt64
    private let protector: Protector
    private let stateBudget: Epsilon
    private let eventBudget: Epsilon
    private let eventsPerYear: Int

    /// The budget of `slots`, whose histograms are among `histograms` (the release's tables').
    init(slots: [BudgetSlot], histograms: [Histogram], supervision: Bool, protector: Protector) {
        let settings = protector.settings
        stateBudget = supervision ? settings.supervisionEpsilonPerPeriod : settings.epsilonPerWeek
        eventBudget = supervision ? settings.supervisionEpsilonPerReferral : settings.epsilonPerReferral
        eventsPerYear = supervision ? settings.supervisionEventsPerYear : settings.referralsPerClientYear
        let resolved = slots.map { slot in (slot, histograms.first { $0.id == slot.histogram }!) }
        stateSlots = resolved.filter { !$0.1.isEvent }
        eventSlots = resolved.filter { $0.1.isEvent }
        stateWeight = stateSlots.map { protector.weight($0.0) }.reduce(0, +)
        eventWeight = eventSlots.map { protector.weight($0.0) * UInt64($0.1.events.count) }.reduce(0, +)
        self.protector = protector
    }

    /// The slot's share: ε·w/W of its kind, exact.
    func epsilon(of slot: BudgetSlot, histogram: Histogram) -> Epsilon {
        let (budget, total) = share(histogram)
        return Epsilon(numerator: budget.numerator * protector.weight(slot), denominator: budget.denominator * total)
    }

    /// The noise scale t/s = Δ/ε_slot = (Δ·q·W)/(p·w) of the slot's cells, Δ = the cap.
    func scale(of slot: BudgetSlot, histogram: Histogram) -> (t: UInt64, s: UInt64) {
        let (budget, total) = share(histogram)
        return (UInt64(histogram.cap) * budget.denominator * total, budget.numerator * protector.weight(slot))
    }

    /// What the release costs one client: the state budget when it has state slots, and per
    /// kind of event the sum of the ε of the event slots that hold it.
    var charge: ReleaseCharge {
        var perEvent: [ReferralEvent: Epsilon] = [:]
        for (slot, histogram) in eventSlots {
            let epsilon = epsilon(of: slot, histogram: histogram)
            for kind in histogram.events { perEvent[kind] = perEvent[kind].map { $0 + epsilon } ?? epsilon }
        }
        return ReleaseCharge(perRelease: stateSlots.isEmpty ? nil : stateBudget, perEvent: perEvent, eventsPerYear: eventsPerYear)
    }

    private func share(_ histogram: Histogram) -> (Epsilon, UInt64) {
        histogram.isEvent ? (eventBudget, eventWeight) : (stateBudget, stateWeight)
    }
}
