import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import Testing

/// A caseload table with the endings histogram (practice and two therapists) and its one-class
/// total `ended` (practice only): `perReason` clients of T1 end for each reason, 3 of T2.
private func endings(perReason: Int) -> ExactRelease {
    let histograms = [Catalogue.histogram("endings")!, Catalogue.histogram("ended")!]
    var cells: [ClassCell] = []
    for (groupType, group) in [(GroupType.practice, "all"), (.therapist, "T1"), (.therapist, "T2")] {
        cells += Catalogue.endingClasses.map { ClassCell(histogram: "endings", cls: $0, groupType: groupType, group: group) }
    }
    cells.append(ClassCell(histogram: "ended", cls: "ended", groupType: .practice, group: "all"))
    func index(_ histogram: String, _ cls: String, _ groupType: GroupType, _ group: String) -> Int32 {
        Int32(cells.firstIndex(of: ClassCell(histogram: histogram, cls: cls, groupType: groupType, group: group))!)
    }
    var contributions: [Contribution] = []
    var client: Int32 = 0
    func end(_ cls: String, therapist: String) {
        contributions += [Contribution(client: client, cell: index("endings", cls, .practice, "all"), amount: 1),
                          Contribution(client: client, cell: index("endings", cls, .therapist, therapist), amount: 1),
                          Contribution(client: client, cell: index("ended", "ended", .practice, "all"), amount: 1)]
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
        let exact = endings(perReason: 2)   // 16 classes × 2 + 3 = 35 ended
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        let protected = Protector(settings: PrivacySettings(mode: .dp, epsilonPerRelease: Epsilon("4")!, minClients: 5)).protect(exact, sampler: &sampler)
        let total = value(protected, "all", "referrals_ended")
        let drawn = try #require(protected.noisyCells.first { $0.histogram == "ended" && $0.group == "all" })
        #expect(total.value == Double(max(0, drawn.value)))
        // One draw's interval is narrower than the sum of 16 draws' of the same slot weight.
        let perClass = protected.noisyCells.filter { $0.histogram == "endings" && $0.group == "T1" }
        #expect(perClass.count == 16)
        #expect(!protected.noisyCells.contains { $0.histogram == "ended" && $0.groupType != "practice" })
        let t1 = value(protected, "T1", "referrals_ended")
        if let value = t1.value {
            #expect(value == Double(max(0, perClass.map(\.value).reduce(0, +))), "a therapist's count sums its classes")
        }
        let width = { (cell: ProtectedCell) in (cell.intervalHigh ?? 0) - (cell.intervalLow ?? 0) }
        if t1.status == .published, total.status == .published, (total.intervalLow ?? 0) > 0 {
            #expect(width(total) < width(t1))
        }
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
