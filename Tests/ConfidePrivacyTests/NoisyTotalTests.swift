import ConfideRelease
import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import Foundation
import Testing

/// A caseload table with the endings histogram (practice and two therapists) and the
/// practice's flows (their `ended` class holds the total): `perReason` clients of T1 end for
/// each reason, 3 of T2.
private func endings(perReason: Int) -> ExactRelease {
    let histograms = [Catalogue.histogram("endings")!, Catalogue.histogram("flows")!]
    var cells: [ClassCell] = []
    for (groupType, group) in [(GroupType.practice, "all"), (.therapist, "T1"), (.therapist, "T2")] {
        cells += Catalogue.endingClasses.map { ClassCell(histogram: "endings", cls: $0, groupType: groupType, group: group) }
    }
    cells += Catalogue.flowClasses.map { ClassCell(histogram: "flows", cls: $0, groupType: .practice, group: "all") }
    func index(_ histogram: String, _ cls: String, _ groupType: GroupType, _ group: String) -> Int32 {
        Int32(cells.firstIndex(of: ClassCell(histogram: histogram, cls: cls, groupType: groupType, group: group))!)
    }
    var contributions: [Contribution] = []
    var client: Int32 = 0
    func end(_ cls: String, therapist: String) {
        contributions += [Contribution(client: client, cell: index("endings", cls, .practice, "all"), amount: 1),
                          Contribution(client: client, cell: index("endings", cls, .therapist, therapist), amount: 1),
                          Contribution(client: client, cell: index("flows", "ended", .practice, "all"), amount: 1)]
        client += 1
    }
    for cls in Catalogue.endingClasses { for _ in 0..<perReason { end(cls, therapist: "T1") } }
    for _ in 0..<3 { end("completed.taken_on", therapist: "T2") }
    let measures = Catalogue.measures.filter { $0.id == "referrals_ended" || $0.id == "referrals_ended_completed" }
    let table = ExactTable(name: .caseload, histograms: histograms, cells: cells, contributions: contributions, measures: measures)
    return ExactRelease(period: ISOWeek("2026-W10")!, tables: [table])
}

@Suite struct NoisyTotalTests {
    @Test func dpReadsThePracticeTotalFromItsOneDrawAndBreakdownsFromTheirClasses() throws {
        // 16 classes × 20 + 3 = 323 ended, 320 with T1: far above the noise of T1's 16 draws
        // (standard deviation about 38), so with a minimum of 1 both figures are published.
        let exact = endings(perReason: 20)
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        let protected = Protector(settings: PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!, minClients: 1)).protect(exact, sampler: &sampler)
        let total = value(protected, "all", "referrals_ended")
        let drawn = try #require(protected.noisyCells.first { $0.histogram == "flows" && $0.cls == "ended" })
        let perClass = protected.noisyCells.filter { $0.histogram == "endings" && $0.group == "T1" }
        #expect(perClass.count == 16)
        #expect(!protected.noisyCells.contains { $0.histogram == "flows" && $0.groupType != .practice })
        let t1 = value(protected, "T1", "referrals_ended")
        try #require(total.status == .published && t1.status == .published)
        let totalValue = try #require(total.value), t1Value = try #require(t1.value)
        // Consistent (post-processing): the practice total is estimated once from its two
        // measurements (the flows draw and the sum of the practice's 16 classes), and each
        // class's therapists (with the unpublished no-contact group) add up to the practice's.
        let practiceClasses = protected.noisyCells.filter { $0.histogram == "endings" && $0.groupType == .practice }
        let measured = [Double(drawn.value), Double(practiceClasses.map(\.value).reduce(0, +))]
        #expect(totalValue >= measured.min()! - 1 && totalValue <= measured.max()! + 1, "between its two measurements")
        let t2 = value(protected, "T2", "referrals_ended").value ?? 0
        #expect(t1Value + t2 <= totalValue, "the therapists add up to at most the practice")
        // Intervals hold the consistent value and the raw sum's 90% interval: T1's raw sum of
        // its 16 draws ± 1.6449 standard deviations of that sum (normal approximation with the
        // exact variance 2a/(1-a)² per draw), rounded up.
        let scale = try #require(perClass.first)
        #expect(perClass.allSatisfy { $0.t == scale.t && $0.s == scale.s })
        let a16 = exp(-Double(scale.s) / Double(scale.t))
        let sixteen = (1.6449 * (2 * a16 / ((1 - a16) * (1 - a16)) * 16).squareRoot()).rounded(.up)
        let raw = Double(perClass.map(\.value).reduce(0, +))
        #expect(t1.intervalLow == max(0, min(t1Value, raw) - sixteen) && t1.intervalHigh == max(t1Value, raw) + sixteen)
        #expect(t1.intervalLow! <= t1Value && t1Value <= t1.intervalHigh!)
    }

    /// One week of the practice's flows: `received` clients referred, `entered` clients starting
    /// treatment, and `both` clients who did both in the week; the own histograms of the two
    /// counts have practice cells too.
    private func flows(received: Int, entered: Int, both: Int) -> ExactRelease {
        let histograms = ["referrals_received", "entered_treatment", "flows"].map { Catalogue.histogram($0)! }
        var cells = [ClassCell(histogram: "referrals_received", cls: "received", groupType: .practice, group: "all"),
                     ClassCell(histogram: "entered_treatment", cls: "entered", groupType: .practice, group: "all")]
        cells += Catalogue.flowClasses.map { ClassCell(histogram: "flows", cls: $0, groupType: .practice, group: "all") }
        var contributions: [Contribution] = []
        var client: Int32 = 0
        func add(_ events: [String]) {
            for event in events {
                let own = event == "received" ? 0 : 1
                contributions += [Contribution(client: client, cell: Int32(own), amount: 1),
                                  Contribution(client: client, cell: Int32(2 + Catalogue.flowClasses.firstIndex(of: event)!), amount: 1)]
            }
            client += 1
        }
        for _ in 0..<received { add(["received"]) }
        for _ in 0..<entered { add(["entered"]) }
        for _ in 0..<both { add(["received", "entered"]) }
        let measures = Catalogue.measures.filter { ["referrals_received", "entered_treatment"].contains($0.id) }
        let table = ExactTable(name: .caseload, histograms: histograms, cells: cells, contributions: contributions, measures: measures)
        return ExactRelease(period: ISOWeek("2026-W10")!, tables: [table])
    }

    @Test func dpDrawsThePracticeFlowsOnceAndLeavesUnreadCellsUndrawnAndUncharged() throws {
        var sampler = ExactSampler(source: TestGenerator(state: 9))
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!, minClients: 1)
        let protected = Protector(settings: settings).protect(flows(received: 30, entered: 20, both: 0), sampler: &sampler)
        // Only the flows slot is drawn and charged: the own practice cells are read by nothing.
        #expect(protected.parameters.map(\.measureID) == ["flows/practice"])
        // flows holds three events of a referral (received, entered, ended), so its ε per event
        // is a third of epsilon_per_referral, and a referral's three events cost all of it.
        #expect(protected.parameters.first?.exactEpsilon == Epsilon(numerator: 4, denominator: 3))
        #expect(protected.charge.perRelease == nil)
        #expect(protected.charge.perEvent == [.received: Epsilon(numerator: 4, denominator: 3), .entered: Epsilon(numerator: 4, denominator: 3),
                                              .ended: Epsilon(numerator: 4, denominator: 3)])
        #expect(Set(protected.noisyCells.map(\.histogram)) == ["flows"])
        for (measure, cls) in [("referrals_received", "received"), ("entered_treatment", "entered")] {
            let drawn = try #require(protected.noisyCells.first { $0.cls == cls })
            #expect(value(protected, "all", measure).value == Double(max(0, drawn.value)))
        }
        #expect(!PrivacySettings.slotIDs.contains("referrals_received/practice"))
        #expect(PrivacySettings.slotIDs.contains("flows/practice") && PrivacySettings.slotIDs.contains("entered_treatment/age_band"))
        // Therapist slots are those of the supervision releases only.
        #expect(!PrivacySettings.slotIDs.contains("entered_treatment/therapist") && PrivacySettings.slotIDs.contains("clients_seen/therapist"))
    }

    @Test func aClientWeekCountsInOneFlowInDPAndInBothInSDC() {
        // Noise of scale below 0.001: every draw is 0, so the dp figures are the bounded ones.
        var sampler = ExactSampler(source: TestGenerator(state: 9))
        let exact = flows(received: 10, entered: 10, both: 5)
        let dp = Protector(settings: PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("100000")!, epsilonPerReferral: Epsilon("100000")!, minClients: 1))
            .protect(exact, sampler: &sampler)
        #expect(value(dp, "all", "referrals_received").value == 15)   // the five count as referred
        #expect(value(dp, "all", "entered_treatment").value == 10)
        let sdc = Protector(settings: PrivacySettings(mode: .sdc, minClients: 1)).protect(exact, sampler: &sampler)
        #expect(value(sdc, "all", "referrals_received").value == 15)
        #expect(value(sdc, "all", "entered_treatment").value == 15)
    }

    /// One client added with two flows in the week (referred and starting treatment) moves the
    /// joint distribution of the practice's referrals and entries by at most e^ε: the cap of 1
    /// keeps one of the two. Counted in both, the ratio would reach e^(2ε) and this fails.
    @Test func aClientWithTwoFlowsInAWeekMovesTheReleaseByAtMostEpsilon() {
        // flows holds three events per referral: at epsilon_per_referral 3 its ε per event is 1.
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("1")!, epsilonPerReferral: Epsilon("3")!, minClients: 1)
        let without = flows(received: 20, entered: 0, both: 0), with = flows(received: 20, entered: 0, both: 1)
        func outcomes(_ exact: ExactRelease, seed: UInt64) -> [String: Int] {
            var sampler = ExactSampler(source: TestGenerator(state: seed))
            var counts: [String: Int] = [:]
            for _ in 0..<10_000 {
                let release = Protector(settings: settings).protect(exact, sampler: &sampler)
                let pair = ["referrals_received", "entered_treatment"].map { value(release, "all", $0).value.map { "\($0)" } ?? "suppressed" }
                counts[pair.joined(separator: ","), default: 0] += 1
            }
            return counts
        }
        let a = outcomes(with, seed: 21), b = outcomes(without, seed: 22)
        var checked = 0
        for (outcome, countA) in a where countA >= 300 {
            guard let countB = b[outcome], countB >= 300 else { continue }
            let logRatio = log(Double(countA) / Double(countB))
            let slack = 4 * (1 / Double(countA) + 1 / Double(countB)).squareRoot()   // ~4σ of the log ratio
            #expect(abs(logRatio) <= 1 + slack, "outcome \(outcome): \(countA) against \(countB)")
            checked += 1
        }
        #expect(checked >= 4)
    }

    @Test func sdcKeepsTheTotalTheSumOfItsParts() {
        let exact = endings(perReason: 1)   // 16 + 3 = 19
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5)).protect(exact, sampler: &sampler)
        #expect(value(protected, "all", "referrals_ended").value == 20)   // 19 rounded to 5
        #expect(protected.noisyCells.isEmpty)
        #expect(protected.epsilon == "0")
    }
}

@Suite struct BreakdownDomainTests {
    /// A measure is not published for a breakdown its histograms have no cells for: a referral
    /// just received has no therapist, so there is no "suppressed" therapist figure for it.
    @Test func measuresAppearOnlyForBreakdownsTheirHistogramsHave() {
        let received = Catalogue.histogram("referrals_received")!, appointments = Catalogue.histogram("appointments")!
        var cells = [ClassCell(histogram: received.id, cls: "received", groupType: .practice, group: "all")]
        cells += [("practice", "all"), ("therapist", "T1")].flatMap { type, group in
            appointments.classes.map { ClassCell(histogram: appointments.id, cls: $0, groupType: GroupType(rawValue: type)!, group: group) }
        }
        let attendedAll = Int32(cells.firstIndex(of: ClassCell(histogram: appointments.id, cls: "attended", groupType: .practice, group: "all"))!)
        let attendedT1 = Int32(cells.firstIndex(of: ClassCell(histogram: appointments.id, cls: "attended", groupType: .therapist, group: "T1"))!)
        var contributions: [Contribution] = []
        for client in Int32(0)..<12 {
            contributions += [Contribution(client: client, cell: 0, amount: 1), Contribution(client: client, cell: attendedAll, amount: 1),
                              Contribution(client: client, cell: attendedT1, amount: 1)]
        }
        let measures = Catalogue.measures.filter { ["referrals_received", "appointments_attended"].contains($0.id) }
        let table = ExactTable(name: .caseload, histograms: [received, appointments], cells: cells, contributions: contributions, measures: measures)
        var sampler = ExactSampler(source: TestGenerator(state: 3))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5))
            .protect(ExactRelease(period: ISOWeek("2026-W10")!, tables: [table]), sampler: &sampler)
        let keys = Set(protected.cells.map { "\($0.group)/\($0.measureID)" })
        #expect(keys == ["all/referrals_received", "all/appointments_attended", "T1/appointments_attended"])
    }
}
