@_spi(ReleaseStore) import ConfideRelease
import ConfideMetrics
import Foundation
import ConfideModel
@testable import ConfidePrivacy
import Testing

/// The measures computed from the appointments histogram.
let appointmentMeasures = Catalogue.measures.filter { measure in
    switch measure.formula {
    case .count(let histogram, _): return histogram == "appointments"
    case .rate(let n, let d): return n.histogram == "appointments" && d.histogram == "appointments"
    case .mean, .median: return false
    }
}

/// A one-table release: each listed client of each therapist attends `amount` appointments.
func release(week: String = "2026-W10", cls: String = "attended", perTherapist: [String: [Int32]], amount: Int32 = 1) -> ExactRelease {
    let histogram = Catalogue.histogram("appointments")!
    var cells: [ClassCell] = histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .practice, group: "all") }
    for therapist in perTherapist.keys.sorted() {
        cells += histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: .therapist, group: therapist) }
    }
    var contributions: [Contribution] = []
    let practiceCell = Int32(cells.firstIndex(of: ClassCell(histogram: histogram.id, cls: cls, groupType: .practice, group: "all"))!)
    for (therapist, clients) in perTherapist {
        let cell = Int32(cells.firstIndex(of: ClassCell(histogram: histogram.id, cls: cls, groupType: .therapist, group: therapist))!)
        for client in clients {
            contributions.append(Contribution(client: client, cell: cell, amount: amount))
            contributions.append(Contribution(client: client, cell: practiceCell, amount: amount))
        }
    }
    let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions, measures: appointmentMeasures)
    return ExactRelease(period: ISOWeek(week)!, tables: [table])
}

func value(_ r: ProtectedRelease, _ group: String, _ measure: String) -> ProtectedCell {
    r.cells.first { $0.group == group && $0.measureID == measure }!
}

@Suite struct ProtectorTests {
    /// ε_slot of `appointments/practice` in a release of `epsilon` with only the appointments
    /// histogram (practice and therapist slots), at the default weights.
    static func practiceAppointmentsEpsilon(_ epsilon: Double) -> Double {
        let practice = Double(PrivacySettings.defaultWeights["appointments/practice"]!)
        let therapist = Double(PrivacySettings.defaultWeights["appointments/therapist"] ?? 1)
        return epsilon * practice / (practice + therapist)
    }

    @Test func sdcSuppressesSmallCellsRoundsToFiveAndProtectsTheMargin() {
        let exact = release(perTherapist: ["T1": Array(0..<12), "T2": Array(12..<15), "T3": Array(15..<23)])
        var sampler = ExactSampler(source: TestGenerator(state: 1))
        let protected = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5)).protect(exact, sampler: &sampler)
        #expect(value(protected, "all", "appointments_attended").value == 25)  // 23 rounded to 5
        #expect(value(protected, "T1", "appointments_attended").value == 10)   // 12
        #expect(value(protected, "T2", "appointments_attended").status == .suppressed)  // 3 clients
        // T3 (8) is the smallest published cell: suppressed too, so T2 ≠ total − T1 − T3.
        #expect(value(protected, "T3", "appointments_attended").status == .suppressed)
        #expect(value(protected, "T3", "appointments_attended").reason == "suppressed to protect another cell")
        #expect(protected.epsilon == "0")
    }

    @Test func dpAddsNoiseSuppressesLowNoisyCountsAndGivesIntervals() {
        let exact = release(perTherapist: ["T1": Array(0..<40), "T2": Array(40..<41)])
        var sampler = ExactSampler(source: TestGenerator(state: 2))
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!, minClients: 5)
        let protected = Protector(settings: settings).protect(exact, sampler: &sampler)
        let total = value(protected, "all", "appointments_attended")
        #expect(total.status == .published)
        #expect(abs(total.value! - 41) < 30)
        #expect(total.intervalLow! <= total.value! && total.value! <= total.intervalHigh!)
        #expect(value(protected, "T2", "appointments_attended").status == .suppressed || value(protected, "T2", "appointments_attended").value! >= 5)
        #expect(protected.cells.allSatisfy { $0.value == nil || $0.value! >= 0 })
    }

    @Test func contributionsAreBoundedPerClient() {
        // One client with 50 attended appointments with one therapist and 50 with another.
        let exact = release(perTherapist: ["T1": [0], "T2": [0]], amount: 50)
        let bounded = bound(exact.tables[0]).cells
        let cells = exact.tables[0].cells
        let therapistSums = cells.indices.filter { cells[$0].groupType == .therapist && cells[$0].cls == "attended" }.map { bounded[$0].sum }
        #expect(therapistSums.reduce(0, +) == 2)     // cap 2, one therapist kept
        #expect(therapistSums.filter { $0 > 0 }.count == 1)
        let practice = cells.firstIndex { $0.groupType == .practice && $0.cls == "attended" }!
        #expect(bounded[practice].sum == 2 && bounded[practice].clients == 1)

        // Through `protect`: at ε 100,000 the noise scale is below 0.001 and every draw is 0, so
        // the release shows what was drawn on: the bounded sums, not the client's 100 appointments.
        var sampler = ExactSampler(source: TestGenerator(state: 3))
        let protected = Protector(settings: PrivacySettings(epsilonPerWeek: Epsilon("100000")!, epsilonPerReferral: Epsilon("100000")!, minClients: 1)).protect(exact, sampler: &sampler)
        let drawn = protected.noisyCells.filter { $0.cls == "attended" }.map { "\($0.group)=\($0.value)" }
        #expect(drawn == ["all=2", "T1=2", "T2=0"])   // the first therapist in cell order is kept
        #expect(value(protected, "all", "appointments_attended").value == 2)
        #expect(value(protected, "T1", "appointments_attended").value == 2)
        #expect(value(protected, "T2", "appointments_attended").status == .suppressed)
        // The noise is calibrated to the same cap.
        #expect(protected.parameters.map(\.measureID).sorted() == ["appointments/practice", "appointments/therapist"])
        #expect(protected.parameters.allSatisfy { $0.sensitivity == 2 && $0.contributionCap == 2 })
    }

    @Test func budgetIsSplitByWeightsAcrossSlots() {
        let exact = release(perTherapist: ["T1": Array(0..<10)])
        var sampler = ExactSampler(source: TestGenerator(state: 4))
        let protected = Protector(settings: PrivacySettings(epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!)).protect(exact, sampler: &sampler)
        let spent = Dictionary(uniqueKeysWithValues: protected.parameters.map { ($0.measureID, Epsilon($0.epsilon)!.value) })
        #expect(abs(spent.values.reduce(0, +) - 4) < 1e-9)
        // The two state slots share epsilon_per_week in proportion to their default weights.
        let practice = Double(PrivacySettings.defaultWeights["appointments/practice"]!)
        let therapist = Double(PrivacySettings.defaultWeights["appointments/therapist"] ?? 1)
        #expect(abs(spent["appointments/practice"]! - 4 * practice / (practice + therapist)) < 1e-6)
        #expect(abs(spent["appointments/therapist"]! - 4 * therapist / (practice + therapist)) < 1e-6)
    }

    @Test func windowsSumStoredWeeklyDrawsWithoutDrawingAgain() throws {
        let protector = Protector(settings: PrivacySettings(epsilonPerWeek: Epsilon("4")!, epsilonPerReferral: Epsilon("4")!, minClients: 1))
        let histogram = Catalogue.histogram("waits")!
        // The outcomes table of one week: `clients` finish treatment, spread over the three wait classes in turn.
        func week(_ name: String, clients: Range<Int32>) -> ExactRelease {
            let cells = histogram.classes.map { ClassCell(histogram: "waits", cls: $0, groupType: .practice, group: "all") }
            let contributions = clients.map { Contribution(client: $0, cell: $0 % 3, amount: 1) }
            let measures = Catalogue.measures.filter { ["waited_6_weeks_rate", "waited_18_weeks_rate"].contains($0.id) }
            return ExactRelease(period: ISOWeek(name)!, tables: [ExactTable(name: .outcomes, histograms: [histogram], cells: cells, contributions: contributions, measures: measures)])
        }
        var firstSampler = ExactSampler(source: TestGenerator(state: 21))
        let first = protector.protect(week("2026-W01", clients: 0..<30), sampler: &firstSampler)
        let secondWeek = week("2026-W02", clients: 100..<140)
        // The second week protected from the same sampler state each time, counting the words it takes.
        func protectSecond(history: [ProtectedRelease]) -> (release: ProtectedRelease, words: Int) {
            let words = WordCount()
            var sampler = ExactSampler(source: CountingGenerator(base: TestGenerator(state: 22), count: words))
            let release = protector.protect(secondWeek, history: history, sampler: &sampler)
            return (release, words.value)
        }
        let alone = protectSecond(history: [])
        let second = protectSecond(history: [first])

        // Without drawing again: the stored week costs the sampler nothing, and the second
        // release draws (and stores) only its own week's three cells, the same ones as alone.
        #expect(second.words == alone.words)
        #expect(second.release.noisyCells == alone.release.noisyCells)
        #expect(second.release.noisyCells.map(\.cls) == histogram.classes)
        #expect(first.noisyCells.map(\.cls) == histogram.classes)

        // The window: the first week's stored noisy cells plus the second's own, class by class.
        func byClass(_ release: ProtectedRelease) -> [String: Int64] {
            Dictionary(uniqueKeysWithValues: release.noisyCells.map { ($0.cls, $0.value) })
        }
        let stored = byClass(first), own = byClass(second.release)
        let finished = Double(Catalogue.waitClasses.map { stored[$0]! + own[$0]! }.reduce(0, +))
        let within6 = Double(stored["within_6_weeks"]! + own["within_6_weeks"]!)
        #expect(finished > 60)   // 70 finishers: the ratio below is not a 0/0
        func rate(_ part: Double, _ whole: Double) -> Double { (min(100, 100 * part / whole) * 10).rounded() / 10 }
        let within18 = within6 + Double(stored["within_18_weeks"]! + own["within_18_weeks"]!)
        #expect(value(second.release, "all", "waited_6_weeks_rate").value == rate(within6, finished))
        #expect(value(second.release, "all", "waited_18_weeks_rate").value == rate(within18, finished))
        let ownFinished = Double(Catalogue.waitClasses.map { own[$0]! }.reduce(0, +))
        #expect(value(alone.release, "all", "waited_6_weeks_rate").value == rate(Double(own["within_6_weeks"]!), ownFinished))

        // The stored values are what is summed, not fresh draws of the first week nor its exact
        // counts: the same history stored with 1,000 more in one class moves the window by exactly 1,000.
        let altered = try shifted(first, cls: "within_18_weeks", by: 1_000)
        #expect(byClass(altered)["within_18_weeks"] == stored["within_18_weeks"]! + 1_000)
        let fromAltered = protectSecond(history: [altered])
        #expect(fromAltered.words == alone.words)
        #expect(fromAltered.release.noisyCells == alone.release.noisyCells)
        #expect(value(fromAltered.release, "all", "waited_18_weeks_rate").value == rate(within18 + 1_000, finished + 1_000))

        #expect(second.release.weeksCovered["outcomes"] == 2)
        #expect(alone.release.weeksCovered["outcomes"] == 1)
        #expect(first.weeksCovered["outcomes"] == 1)
    }

    @Test func codecRestoresTheReleaseExactly() throws {
        let exact = release(perTherapist: ["T1": Array(0..<30), "T2": Array(30..<33)])
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        let protected = Protector(settings: PrivacySettings()).protect(exact, sampler: &sampler)
        let json = try ReleaseCodec.encode(protected)
        #expect(try ReleaseCodec.decode(json) == protected)
        #expect(try ReleaseCodec.encode(try ReleaseCodec.decode(json)) == json)
    }

    /// Neighbouring inputs (one client removed) give output distributions within e^ε of each
    /// other, beyond sampling error, for the practice-wide count of a slot.
    @Test func neighbouringInputsAreIndistinguishableWithinEpsilon() {
        let settings = PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon("1")!, epsilonPerReferral: Epsilon("1")!, minClients: 1)
        let withClient = release(perTherapist: ["T1": Array(0..<20)])
        let without = release(perTherapist: ["T1": Array(0..<19)])
        func histogram(_ exact: ExactRelease, seed: UInt64) -> [Double: Int] {
            var sampler = ExactSampler(source: TestGenerator(state: seed))
            var counts: [Double: Int] = [:]
            for _ in 0..<10_000 {
                let r = Protector(settings: settings).protect(exact, sampler: &sampler)
                counts[r.cells.first { $0.groupType == .practice && $0.measureID == "appointments_attended" }!.value ?? -1, default: 0] += 1
            }
            return counts
        }
        let a = histogram(withClient, seed: 11), b = histogram(without, seed: 12)
        // The slot's ε (ε = 1 split between the practice and therapist appointment slots by their
        // default weights, 26 of 29); sensitivity (cap) 2, so the bound holds for any cap-2 change.
        let bound = exp(Self.practiceAppointmentsEpsilon(1))
        for (outcome, countA) in a where countA >= 300 {
            let countB = b[outcome] ?? 0
            guard countB >= 300 else { continue }
            let ratio = Double(countA) / Double(countB)
            let slack = 4 * (1 / Double(countA) + 1 / Double(countB)).squareRoot()  // ~4σ of the log ratio
            #expect(log(ratio) <= log(bound) + slack, "outcome \(outcome): ratio \(ratio)")
            #expect(log(1 / ratio) <= log(bound) + slack, "outcome \(outcome): ratio \(ratio)")
        }
    }
}

/// How many words a ``CountingGenerator`` gave: a class, so that the count can be read after
/// the sampler has taken its copy of the generator.
final class WordCount {
    var value = 0
}

/// A seeded generator that counts the words it gives.
struct CountingGenerator: RandomNumberGenerator {
    var base: TestGenerator
    let count: WordCount
    mutating func next() -> UInt64 {
        count.value += 1
        return base.next()
    }
}

/// `release` as if stored with `amount` added to its noisy cells of class `cls`: encoded,
/// edited as JSON and decoded, the only way to build a release outside ConfidePrivacy.
func shifted(_ release: ProtectedRelease, cls: String, by amount: Int64) throws -> ProtectedRelease {
    var json = try #require(try JSONSerialization.jsonObject(with: Data(try ReleaseCodec.encode(release).utf8)) as? [String: Any])
    var cells = try #require(json["noisyCells"] as? [[String: Any]])
    for index in cells.indices where cells[index]["cls"] as? String == cls {
        let stored = try #require((cells[index]["value"] as? NSNumber)?.int64Value)
        cells[index]["value"] = NSNumber(value: stored + amount)
    }
    json["noisyCells"] = cells
    let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    return try ReleaseCodec.decode(String(decoding: data, as: UTF8.self))
}
