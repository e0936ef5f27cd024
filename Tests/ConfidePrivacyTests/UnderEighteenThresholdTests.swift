import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import ConfideRelease
import Testing

/// A one-table release by age band: each listed client of each band attends one appointment.
private func release(byBand bands: [String: [Int32]]) -> ExactRelease {
    let histogram = Catalogue.histogram("appointments")!
    var cells: [ClassCell] = histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .practice, group: "all") }
    for band in bands.keys.sorted() {
        cells += histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .ageBand, group: band) }
    }
    let practiceCell = Int32(cells.firstIndex(of: ClassCell(histogram: histogram.id, cls: "attended", groupType: .practice, group: "all"))!)
    var contributions: [Contribution] = []
    for (band, clients) in bands {
        let cell = Int32(cells.firstIndex(of: ClassCell(histogram: histogram.id, cls: "attended", groupType: .ageBand, group: band))!)
        for client in clients {
            contributions.append(Contribution(client: client, cell: cell, amount: 1))
            contributions.append(Contribution(client: client, cell: practiceCell, amount: 1))
        }
    }
    let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions, measures: appointmentMeasures)
    return ExactRelease(period: ISOWeek("2026-W10")!, tables: [table])
}

@Suite struct UnderEighteenThresholdTests {
    @Test(arguments: [("under_16", true), ("16-17", true), ("16-24", true), ("18-25", false), ("66+", false), ("unknown", false), ("10+", true)])
    func anAgeBandHoldingAgesUnder18TakesTheHigherThreshold(band: String, under18: Bool) {
        let settings = PrivacySettings(minClients: 5)
        #expect(settings.minClients(groupType: .ageBand, group: band) == (under18 ? 10 : 5))
        #expect(settings.minClients(groupType: .therapist, group: band) == 5)
    }

    @Test func sdcSuppressesAnUnder18BandBelowItsThresholdWhereAnAdultBandOfTheSameSizeIsPublished() {
        let exact = release(byBand: ["16-17": Array(0..<8), "18-25": Array(8..<16), "26-35": Array(16..<40), "36-45": Array(40..<64)])
        var sampler = ExactSampler(source: TestGenerator(state: 3))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5)).protect(exact, sampler: &sampler)
        let child = value(protected, "16-17", "appointments_attended")
        #expect(child.status == .suppressed && child.reason == "fewer than 10 clients")
        // The adult band of 8 is not below its threshold; it is suppressed, if at all, only to
        // keep the child band from being the total minus the others.
        #expect(value(protected, "18-25", "appointments_attended").reason != "fewer than 5 clients")
        #expect(value(protected, "26-35", "appointments_attended").value == 25)
        // With the threshold at min_clients, the child band of 8 is published.
        var lower = PrivacySettings(mode: .sdc, minClients: 5)
        lower.minClientsUnder18 = 5
        #expect(value(Protector(settings: lower).protect(exact, sampler: &sampler), "16-17", "appointments_attended").value == 10)
    }

    @Test func dpSuppressesAnUnder18BandWhoseNoisyCountIsBelowItsThreshold() {
        let exact = release(byBand: ["16-17": Array(0..<8), "18-25": Array(8..<16), "26-35": Array(16..<40)])
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        // Noise negligible next to the counts: the thresholds alone decide.
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("900")!, minClients: 5)
        let protected = Protector(settings: settings).protect(exact, sampler: &sampler)
        let child = value(protected, "16-17", "appointments_attended")
        #expect(child.status == .suppressed && child.reason == "fewer than 10 after noise")
        #expect(value(protected, "18-25", "appointments_attended").status == .published)
    }
}
