import ConfideMetrics
import ConfideModel
import ConfideRelease

/// How a dp release's budget is split over its slots: state slots share
/// ``PrivacySettings/epsilonPerWeek`` in proportion to their weights; event slots share
/// ``PrivacySettings/epsilonPerReferral`` in proportion to their weight times the events a
/// slot holds per referral (`flows` holds three: received, entered, ended), so that one
/// referral's events over its life cost exactly `epsilonPerReferral`.
struct Budget {
    /// The state slots drawn, with their histograms.
    let stateSlots: [(BudgetSlot, Histogram)]
    /// The event slots drawn, with their histograms.
    let eventSlots: [(BudgetSlot, Histogram)]
    private let stateWeight: UInt64
    private let eventWeight: UInt64
    private let protector: Protector

    init(slots: [BudgetSlot], protector: Protector) {
        let resolved = slots.map { ($0, Catalogue.histogram($0.histogram)!) }
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
        return ReleaseCharge(perRelease: stateSlots.isEmpty ? nil : protector.settings.epsilonPerWeek, perEvent: perEvent,
                             eventsPerYear: protector.settings.referralsPerClientYear)
    }

    private func share(_ histogram: Histogram) -> (Epsilon, UInt64) {
        histogram.isEvent ? (protector.settings.epsilonPerReferral, eventWeight) : (protector.settings.epsilonPerWeek, stateWeight)
    }
}
