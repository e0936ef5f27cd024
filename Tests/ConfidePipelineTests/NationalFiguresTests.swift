import ConfideIngest
import ConfideMetrics
import ConfideModel
import ConfideSchema
import ConfideStore
import ConfideSynth
import Foundation
import Testing

/// The synthetic practice, read through the whole catalogue, gives figures of the size the
/// national NHS Talking Therapies data shows: recovery near 50%, reliable improvement near
/// two thirds, most finishers starting treatment within 18 weeks.
@Suite struct NationalFiguresTests {
    /// The exact value of a count or rate measure for the whole practice, from raw contributions.
    private func value(_ release: ExactRelease, _ measureID: String) -> Double {
        let measure = Catalogue.measure(measureID)!
        let table = release.tables.first { $0.name == measure.table }!
        func sum(_ classSum: ClassSum) -> Double {
            let cells = Set(table.cells.indices.filter {
                table.cells[$0].histogram == classSum.histogram && classSum.classes.contains(table.cells[$0].cls) && table.cells[$0].group == "all"
            }.map { Int32($0) })
            return Double(table.contributions.filter { cells.contains($0.cell) }.map { Int($0.amount) }.reduce(0, +))
        }
        switch measure.formula {
        case .count(let histogram, let classes): return sum(ClassSum(histogram, classes))
        case .rate(let numerator, let denominator): return 100 * sum(numerator) / sum(denominator)
        case .mean(let total, let count): return sum(total) / sum(count)
        case .median: return .nan
        }
    }

    @Test func recoveryNearFiftyPercentOnTheSyntheticPractice() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-national-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lastWeek = ISOWeek("2026-W40")!
        _ = try PracticeSynthesizer.write(to: folder, options: SynthOptions(clients: 3000, weeks: 104, seed: 21, lastDay: lastWeek.end, therapists: 12))
        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db)
        _ = try Ingestor(key: try PracticeKey(bytes: Array(repeating: 5, count: 32)), timeZone: TimeZone(identifier: "Europe/London")!)
            .ingest(ExportSource(path: folder), into: db, startedAt: "t")
        let release = try WeeklyMetrics(db: db).compute(week: lastWeek, outcomeWeeks: 52)

        let finished = value(release, "finished_treatment"), recovery = value(release, "recovery_rate")
        let improvement = value(release, "reliable_improvement_rate"), within18 = value(release, "waited_18_weeks_rate")
        print("synthetic practice, 52 weeks to \(lastWeek): finished \(Int(finished)), recovery \(recovery)%, reliable improvement \(improvement)%, within 18 weeks \(within18)%")
        #expect(finished > 300, "too few finished courses to judge the rates")
        #expect((45...55).contains(recovery))
        #expect((55...80).contains(improvement))
        #expect(within18 > 80)
    }
}
