import ConfideIngest
import ConfideMetrics
import ConfideModel
import ConfidePostgres
import ConfidePrivacy
import ConfideRelease
import ConfideSchema
import ConfideStore
import ConfideSynth
import Foundation
import Testing

/// The metrics pushed down to PostgreSQL (``PostgresWeeklyMetrics``) against the Swift
/// computation on SQLite (``WeeklyMetrics``), on the same exports ingested into both stores:
/// the same cells in the same order, each client contributing the same amounts to them (clients
/// are numbered otherwise), and so the same disclosure-control release.
@Suite("PostgreSQL metrics", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresMetricsTests {
    private let key = try! PracticeKey(bytes: Array(repeating: 5, count: 32))

    /// Synthetic practices, with and without the lifetime bound on events, with and without
    /// every caseload breakdown: weeks across the history, and supervision periods.
    @Test(arguments: [(UInt64(1), Int?.none, true), (2, 1, false), (3, 2, true)])
    func syntheticPracticesReleaseAsOnSQLite(seed: UInt64, perYear: Int?, breakdowns: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgmetrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let last = Day(iso: "2026-06-28")!
        _ = try PracticeSynthesizer.write(to: folder, options: SynthOptions(clients: 300, weeks: 40, seed: seed, lastDay: last))
        let sqlite = try Database(path: folder + "/store.sqlite")
        try Schema.migrator.migrate(sqlite)
        let postgres = try PostgresConnection(try PostgresTestServer.freshDatabase())
        _ = try PostgresSchema.create(on: postgres)
        let ingestor = Ingestor(key: key, timeZone: TimeZone(identifier: "Europe/London")!)
        _ = try ingestor.ingest(ExportSource(path: folder), into: sqlite, startedAt: "t")
        _ = try ingestor.ingest(ExportSource(path: folder), into: postgres, startedAt: "t")
        var settings = MetricSettings()
        settings.referralsPerClientYear = perYear
        if breakdowns { settings.caseloadBreakdowns = GroupType.allCases.filter { $0 != .practice && $0 != .therapist } }
        let latest = ISOWeek(containing: last)
        let weeks = [latest, latest.adding(weeks: -1), latest.adding(weeks: -9), latest.adding(weeks: -25)]
        let counted = try Self.expectSameReleases(sqlite, postgres, settings: settings, weeks: weeks, context: "seed \(seed)")
        #expect(counted > 500, "seed \(seed): too few contributions (\(counted)) for the comparison to mean much")
    }

    /// The weekly and supervision releases of `weeks` on both stores, compared
    /// (``expectSame(_:_:context:)``); returns how many contributions the SQLite releases had.
    @discardableResult
    static func expectSameReleases(_ sqlite: Database, _ postgres: PostgresConnection, settings: MetricSettings, weeks: [ISOWeek],
                                   context: String) throws -> Int {
        let swift = WeeklyMetrics(db: sqlite, settings: settings)
        let pushed = PostgresWeeklyMetrics(db: postgres, settings: settings)
        var counted = 0
        for week in weeks {
            #expect(try pushed.therapists(activeIn: week) == swift.therapists(activeIn: week), "\(context) \(week): therapists")
            for outcomeWeeks in [1, 13] {
                let expected = try swift.compute(week: week, outcomeWeeks: outcomeWeeks)
                counted += expected.tables.map(\.contributions.count).reduce(0, +)
                expectSame(expected, try pushed.compute(week: week, outcomeWeeks: outcomeWeeks), protect: settings.caseloadBreakdowns.isEmpty, context: "\(context) \(week)/\(outcomeWeeks)")
            }
            let period = SupervisionPeriod(containing: week, weeks: settings.supervisionPeriodWeeks)
            let cases = try swift.cases(period: period)
            #expect(try pushed.cases(period: period) == cases, "\(context) period \(period): case lists' cases")
            counted += cases.count
            for outcomeWeeks in [period.weekCount, 52] {
                expectSame(try swift.compute(period: period, outcomeWeeks: outcomeWeeks), try pushed.compute(period: period, outcomeWeeks: outcomeWeeks),
                           protect: true, context: "\(context) period \(period)/\(outcomeWeeks)")
            }
        }
        return counted
    }

    /// Same cells in the same order; the same clients, each known by what it contributes to
    /// which cell (what bounding reads, so the same bounded figures); the same
    /// disclosure-control release (`protect`: slow with every breakdown in a debug build).
    static func expectSame(_ expected: ExactRelease, _ actual: ExactRelease, protect: Bool, context: String) {
        #expect(expected.tables.map(\.name) == actual.tables.map(\.name), "\(context): tables")
        for (left, right) in zip(expected.tables, actual.tables) {
            #expect(left.cells == right.cells, "\(context) \(left.name): cells (\(left.cells.count) against \(right.cells.count))")
            let want = clients(left), got = clients(right)
            #expect(want == got, "\(context) \(left.name): clients' contributions differ (\(want.count) clients against \(got.count))")
        }
        guard protect else { return }
        var sampler = ExactSampler(source: SplitMix(seed: 1))
        let protector = Protector(settings: PrivacySettings(mode: .sdc))
        #expect(protector.protect(expected, sampler: &sampler) == protector.protect(actual, sampler: &sampler), "\(context): sdc releases")
    }

    /// Each client of `table` as the cells it adds to and the amounts, summed per cell; sorted.
    private static func clients(_ table: ExactTable) -> [String] {
        var byClient: [Int32: [Int32: Int32]] = [:]
        for c in table.contributions { byClient[c.client, default: [:]][c.cell, default: 0] += c.amount }
        return byClient.values.map { cells in cells.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") }.sorted()
    }
}
