import ConfideRelease
import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import Testing

/// An appointments table by therapist and by modality: client i sees `therapists[i]` in
/// modality `modalities[i]` and has one appointment of class `classes[i]`.
func linkedTable(therapists: [String], modalities: [String], classes: [String], week: String = "2026-W10") -> ExactRelease {
    let histogram = Catalogue.histogram("appointments")!
    let groups: [(GroupType, String)] = [(.practice, "all")] + Set(therapists).sorted().map { (.therapist, $0) }
        + Set(modalities).sorted().map { (.modality, $0) }
    var cells: [ClassCell] = []
    for (groupType, group) in groups {
        cells += histogram.classes.map { ClassCell(histogram: histogram.id, cls: $0, groupType: groupType, group: group) }
    }
    let index = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1, Int32($0)) })
    var contributions: [Contribution] = []
    for client in therapists.indices {
        for (groupType, group) in [(GroupType.practice, "all"), (.therapist, therapists[client]), (.modality, modalities[client])] {
            let cell = index[ClassCell(histogram: histogram.id, cls: classes[client], groupType: groupType, group: group)]!
            contributions.append(Contribution(client: Int32(client), cell: cell, amount: 1))
        }
    }
    let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions, measures: appointmentMeasures)
    return ExactRelease(period: ISOWeek(week)!, tables: [table])
}

/// A practice of mostly attended appointments with one planted client: the only DNA of
/// therapist T2 (in CBT).
func plantedPractice(planted: Bool) -> ExactRelease {
    var therapists: [String] = [], modalities: [String] = [], classes: [String] = []
    func add(_ n: Int, _ therapist: String, _ modality: String, _ cls: String) {
        therapists += Array(repeating: therapist, count: n)
        modalities += Array(repeating: modality, count: n)
        classes += Array(repeating: cls, count: n)
    }
    add(30, "T1", "cbt", "attended"); add(12, "T1", "cbt", "dna"); add(9, "T1", "counselling", "cancelled_by_client")
    add(25, "T2", "counselling", "attended"); add(6, "T2", "cbt", "cancelled_by_client")
    add(20, "T3", "cbt", "attended"); add(8, "T3", "counselling", "dna"); add(7, "T3", "cbt", "cancelled_by_practice")
    add(6, "T2", "cbt", "cancelled_by_practice")
    if planted { add(1, "T2", "cbt", "dna") }
    return linkedTable(therapists: therapists, modalities: modalities, classes: classes)
}

@Suite struct MarginAttackTests {
    let sdc = Protector(settings: PrivacySettings(mode: .sdc, minClients: 5))

    func protect(_ exact: ExactRelease) -> ProtectedRelease {
        var sampler = ExactSampler(source: TestGenerator(state: 1))
        return sdc.protect(exact, sampler: &sampler)
    }

    /// Margin subtraction in sdc mode: the planted client's DNA (T2, one client) is suppressed,
    /// and neither "practice minus the other therapists" nor the full linear system of every
    /// published count, rate and margin recovers it. Handed the cells suppressed only to protect
    /// it, the same attacker does recover it, so the attack is real and the test can fail.
    @Test func marginSubtractionCannotRecoverAPlantedClient() {
        let exact = plantedPractice(planted: true)
        let release = protect(exact)
        let table = exact.tables[0]
        let planted = value(release, "T2", "appointments_dna")
        #expect(planted.status == .suppressed)
        // The textbook attack: practice total minus the published therapists.
        let dna = release.cells.filter { $0.measureID == "appointments_dna" && $0.groupType == .therapist }
        #expect(dna.filter { $0.status == .suppressed }.count >= 2 || value(release, "all", "appointments_dna").status == .suppressed)
        // The DNA rate of T2 would give its DNA from its attended count: suppressed as well.
        #expect(value(release, "T2", "dna_rate").status == .suppressed)
        // The full linear attack.
        let attacker = LinearAttacker(table: table, release: release)
        #expect(!attacker.recovers(planted, in: table))
        #expect(!attacker.determines(ClassSum("appointments", ["dna"]), .therapist, "T2"))
        // Given the secondary suppressions, the attacker wins: they are what protects the client.
        let secondary = Set(release.cells.filter { $0.reason == "suppressed to protect another cell" }.map(LinearAttacker.key))
        #expect(!secondary.isEmpty)
        let informed = LinearAttacker(table: table, release: release, alsoKnown: secondary)
        #expect(informed.determines(ClassSum("appointments", ["dna"]), .therapist, "T2"))
    }

    /// Proof over many random linked tables (practice, 4 therapists, 3 modalities, 6 classes,
    /// 9 measures with rates): for every suppressed cell, the exact linear system of published
    /// figures and margins leaves its value undetermined.
    @Test(arguments: 0..<12)
    func noSuppressedCellIsALinearFunctionOfPublishedOnes(seed: Int) {
        var random = TestGenerator(state: UInt64(1000 + seed))
        let therapistPool = ["T1", "T2", "T3", "T4"], modalityPool = ["cbt", "counselling", "emdr"]
        let classPool = Catalogue.histogram("appointments")!.classes
        let clients = 40 + Int(random.next() % 60)
        var therapists: [String] = [], modalities: [String] = [], classes: [String] = []
        for _ in 0..<clients {
            // Skewed choices, so that some cells are small and some are large.
            therapists.append(therapistPool[min(Int(random.next() % 6), 3)])
            modalities.append(modalityPool[min(Int(random.next() % 4), 2)])
            classes.append(classPool[Int(random.next() % 3 == 0 ? random.next() % UInt64(classPool.count) : 0)])
        }
        let exact = linkedTable(therapists: therapists, modalities: modalities, classes: classes)
        let release = protect(exact)
        let table = exact.tables[0]
        let attacker = LinearAttacker(table: table, release: release)
        let suppressed = release.cells.filter { $0.status == .suppressed }
        #expect(!suppressed.isEmpty)
        for cell in suppressed {
            #expect(!attacker.recovers(cell, in: table), "\(cell.measureID) \(cell.groupType) \(cell.group) is determined")
        }
        // Suppression never hides more than it must: published counts are multiples of 5.
        #expect(release.cells.filter { $0.status == .published && !$0.isRate }.allSatisfy { $0.value!.truncatingRemainder(dividingBy: 5) == 0 })
    }

    /// One breakdown with one group: the practice cell equals it, so when the group is
    /// suppressed the practice cell must be too (the old per-margin rule missed this case).
    @Test func aSingleGroupBreakdownTakesThePracticeCellWithIt() {
        let exact = release(perTherapist: ["T1": Array(0..<3)])
        let protected = protect(exact)
        #expect(value(protected, "T1", "appointments_attended").status == .suppressed)
        #expect(value(protected, "all", "appointments_attended").status == .suppressed)
    }
}
