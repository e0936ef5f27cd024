import ConfideBench
import Foundation
import Testing

/// A report as a run with one failed baseline would give.
private func sampleReport() -> BenchReport {
    let stage = StageFigures(seconds: 2, rows: 1_000, peakRSSMiB: 30)
    let stages = Stages(ingest: stage, metrics: StageFigures(seconds: 0.1, rows: 1_000, peakRSSMiB: 31), protect: stage,
                        publish: stage, weeklyRun: StageFigures(seconds: 1, rows: 10, peakRSSMiB: 40),
                        snapshotUnchanged: StageFigures(seconds: 0.5, rows: 1_000, peakRSSMiB: 50),
                        snapshotChanged: StageFigures(seconds: 0.7, rows: 1_000, peakRSSMiB: 52))
    let baselines = Baselines(
        sqliteImport: BaselineFigures(isDP: false, seconds: 0.5, peakRSSMiB: 6, rowsPerSecond: 2_000),
        pandas: BaselineFigures(isDP: false, seconds: 30, peakRSSMiB: 80, readSeconds: 20, computeSeconds: 10),
        pipelinedp: BaselineFigures(isDP: true, error: "exit code 1: ModuleNotFoundError"),
        opendp: BaselineFigures(isDP: true, seconds: 4, peakRSSMiB: 100, countMAE: 4, meanMAE: 30))
    let dp = DPFigures(epsilon: 1, seconds: 0.2, readSeconds: 0.1, dpSeconds: 0.1, peakRSSMiB: 35, rows: 900, partitions: 40,
                       countMAE: 3, countMAERaw: 3.5, meanMAE: 25)
    return BenchReport(clients: 2_000, rows: RowCounts(base: 1_000, delta: 10, attendedAppointments: 900), stages: stages,
                       baselines: baselines, dpCounts: dp,
                       targets: TargetCheck.all(stages: stages, baselines: baselines, dpCounts: dp, storeBytes: 3_000, exportBytes: 1_000),
                       machine: Machine(cores: 2, loadAverage: 1.5, system: "test"), storeBytes: 3_000, exportBytes: 1_000)
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct BenchReportTests {
    /// `--store postgres`: the PostgreSQL stages under `postgres`, and issue 18's two targets
    /// from them and the SQLite weekly run of the same report.
    @Test func postgresFiguresAndTheirTargets() throws {
        var report = sampleReport()
        let figures = PostgresFigures(server: "confide@127.0.0.1:5432/bench", ingest: StageFigures(seconds: 40, rows: 1_000, peakRSSMiB: 50),
                                      weeklyRun: StageFigures(seconds: 3, rows: 10, peakRSSMiB: 60),
                                      copyFloor: StageFigures(seconds: 1, rows: 1_000, peakRSSMiB: nil))
        report.postgres = figures
        let json = try object(try report.jsonText())
        let postgres = try #require(json["postgres"] as? [String: Any])
        #expect(Set(postgres.keys) == ["server", "ingest", "weekly_run", "copy_floor"])
        #expect((postgres["weekly_run"] as? [String: Any])?["seconds"] as? Double == 3)
        let targets = Dictionary(uniqueKeysWithValues: figures.targets(sqlite: report.stages).map { ($0.id, $0) })
        let sqliteWeek = try #require(report.stages.weeklyRun.seconds)
        #expect(targets["postgres_weekly_run_vs_sqlite"]?.value == 3 / sqliteWeek)
        #expect(targets["postgres_weekly_run_vs_sqlite"]?.met == (3 / sqliteWeek <= 1))
        #expect(targets["postgres_ingest_vs_copy"]?.value == 1.0 / 40)
        #expect(targets["postgres_ingest_vs_copy"]?.met == false)
    }

    @Test func jsonHasTheShapeOfIssue7() throws {
        let text = try sampleReport().jsonText()
        #expect(!text.contains("\n"), "one object on one line")
        let json = try object(text)
        #expect(Set(json.keys) == ["clients", "rows", "stages", "baselines", "dp_counts", "targets", "machine",
                                   "store_bytes", "export_bytes", "postgres"])
        #expect(json["postgres"] is NSNull, "no PostgreSQL figures without --store postgres")
        #expect(json["store_bytes"] as? Int == 3_000 && json["export_bytes"] as? Int == 1_000)
        let stages = try #require(json["stages"] as? [String: Any])
        #expect(Set(stages.keys) == ["ingest", "metrics", "protect", "publish", "weekly_run", "snapshot_unchanged", "snapshot_changed"])
        for (name, value) in stages {
            let stage = try #require(value as? [String: Any], "\(name)")
            for key in ["seconds", "rows_per_second", "peak_rss_mib", "rows"] {
                #expect(stage[key] is NSNumber, "stages.\(name).\(key)")
            }
        }
        let baselines = try #require(json["baselines"] as? [String: Any])
        #expect(Set(baselines.keys) == ["sqlite_import", "pandas", "pipelinedp", "opendp", "ingest_floor"])
        for (name, value) in baselines {
            let baseline = try #require(value as? [String: Any], "\(name)")
            #expect(baseline.keys.contains("seconds") && baseline.keys.contains("peak_rss_mib"), "baselines.\(name)")
            // Only the DP baselines carry the error keys, null or not.
            #expect(baseline.keys.contains("count_mae") == ["pipelinedp", "opendp"].contains(name), "baselines.\(name).count_mae")
            #expect(baseline.keys.contains("mean_mae") == ["pipelinedp", "opendp"].contains(name), "baselines.\(name).mean_mae")
        }
        let dp = try #require(json["dp_counts"] as? [String: Any])
        #expect(Set(dp.keys) == ["epsilon", "seconds", "read_seconds", "dp_seconds", "peak_rss_mib", "rows", "partitions",
                                 "count_mae", "count_mae_raw", "mean_mae"])
        let targets = try #require(json["targets"] as? [[String: Any]])
        #expect(targets.count == 22 && targets.allSatisfy { Set($0.keys) == ["id", "description", "value", "target", "met"] })
    }

    @Test func rowsPerSecondIsTheStagesRowsOverItsSeconds() throws {
        #expect(StageFigures(seconds: 0.25, rows: 1_000, peakRSSMiB: nil).rowsPerSecond == 4_000)
        #expect(StageFigures(seconds: 8, rows: 2, peakRSSMiB: nil).rowsPerSecond == 0.25)
        // No time measured: no rate, not infinity.
        #expect(StageFigures(seconds: 0, rows: 1_000, peakRSSMiB: nil).rowsPerSecond == nil)
        var report = sampleReport()
        report.stages.metrics = StageFigures(seconds: 0.125, rows: 1_000, peakRSSMiB: 31)
        report.stages.weeklyRun = StageFigures(seconds: 0, rows: 10, peakRSSMiB: 40)
        let stages = try #require(try object(try report.jsonText())["stages"] as? [String: Any])
        #expect((stages["metrics"] as? [String: Any])?["rows_per_second"] as? Double == 8_000)
        #expect((stages["weekly_run"] as? [String: Any])?["rows_per_second"] is NSNull)
    }

    @Test func aBaselineThatCouldNotRunIsNullWithAnError() throws {
        let json = try object(try sampleReport().jsonText())
        let pipelinedp = try #require((json["baselines"] as? [String: Any])?["pipelinedp"] as? [String: Any])
        #expect(pipelinedp["seconds"] is NSNull)
        #expect(pipelinedp["peak_rss_mib"] is NSNull)
        #expect(pipelinedp["count_mae"] is NSNull)
        #expect((pipelinedp["error"] as? String)?.contains("ModuleNotFoundError") == true)
        let opendp = try #require((json["baselines"] as? [String: Any])?["opendp"] as? [String: Any])
        #expect(opendp["error"] == nil)
    }

    @Test func aStageThatFailedIsNullWithAnError() throws {
        var report = sampleReport()
        report.stages.publish = StageFigures(error: "exit code 73: audit failed")
        let publish = try #require((try object(try report.jsonText())["stages"] as? [String: Any])?["publish"] as? [String: Any])
        #expect(publish["seconds"] is NSNull && publish["rows_per_second"] is NSNull && publish["peak_rss_mib"] is NSNull)
        #expect(publish["error"] as? String == "exit code 73: audit failed")
    }

    @Test func sizesNotMeasuredAreNull() throws {
        var report = sampleReport()
        report.storeBytes = nil
        report.exportBytes = nil
        let json = try object(try report.jsonText())
        #expect(json["store_bytes"] is NSNull && json["export_bytes"] is NSNull)
    }

    @Test func theReportDecodesBackToItself() throws {
        let report = sampleReport()
        let decoded = try JSONDecoder().decode(BenchReport.self, from: Data(try report.jsonText().utf8))
        #expect(decoded == report)
    }

    /// Every target from figures on either side of its threshold (and on it), and with an input missing.
    @Test func eachTargetIsMetOnOneSideOfItsThresholdOnly() {
        typealias Case = (id: String, note: String, change: (inout RunFigures) -> Void, value: Double?, met: Bool?)
        let cases: [Case] = [
            // ingest 1,000 rows in 2 s = 500 rows/s, against .import's rows/s; at least 0.4 (issue 17).
            ("ingest_vs_sqlite_import", "exactly 0.4", { $0.sqlite.rowsPerSecond = 1_250 }, 0.4, true),
            ("ingest_vs_sqlite_import", "above", { $0.sqlite.rowsPerSecond = 800 }, 0.625, true),
            ("ingest_vs_sqlite_import", "below", { $0.sqlite.rowsPerSecond = 2_000 }, 0.25, false),
            ("ingest_vs_sqlite_import", "ingest failed", { $0.ingest = StageFigures(error: "exit code 1") }, nil, nil),
            // pandas seconds against metrics 0.5 s + protect 1.5 s; at least 10.
            ("metrics_protect_vs_pandas", "exactly 10", { $0.pandas.seconds = 20 }, 10, true),
            ("metrics_protect_vs_pandas", "below", { $0.pandas.seconds = 19 }, 9.5, false),
            ("metrics_protect_vs_pandas", "protect failed", { $0.protect = StageFigures(error: "exit code 1") }, nil, nil),
            ("metrics_protect_vs_pipelinedp", "above", { $0.pipelinedp.seconds = 40 }, 20, true),
            ("metrics_protect_vs_pipelinedp", "below", { $0.pipelinedp.seconds = 16 }, 8, false),
            ("metrics_protect_vs_pipelinedp", "PipelineDP failed", { $0.pipelinedp = BaselineFigures(isDP: true, error: "exit code 1") }, nil, nil),
            // The weekly run: under 5 s and under 1,024 MiB.
            ("weekly_run_seconds", "below", { $0.weeklyRun = StageFigures(seconds: 4.5, rows: 10, peakRSSMiB: 512) }, 4.5, true),
            ("weekly_run_seconds", "exactly 5", { $0.weeklyRun = StageFigures(seconds: 5, rows: 10, peakRSSMiB: 512) }, 5, false),
            ("weekly_run_peak_rss_mib", "below", { $0.weeklyRun = StageFigures(seconds: 4, rows: 10, peakRSSMiB: 1_023) }, 1_023, true),
            ("weekly_run_peak_rss_mib", "exactly 1,024", { $0.weeklyRun = StageFigures(seconds: 4, rows: 10, peakRSSMiB: 1_024) }, 1_024, false),
            ("weekly_run_peak_rss_mib", "not measured", { $0.weeklyRun = StageFigures(seconds: 4, rows: 10, peakRSSMiB: nil) }, nil, nil),
            // The faster DP baseline (OpenDP's 2.5 s, not PipelineDP's 40 s) against confide's seconds; at least 10.
            ("dp_counts_vs_fastest_dp_baseline", "exactly 10", { $0.dp.seconds = 0.25 }, 10, true),
            ("dp_counts_vs_fastest_dp_baseline", "below", { $0.dp.seconds = 0.5 }, 5, false),
            ("dp_counts_vs_fastest_dp_baseline", "OpenDP failed: PipelineDP is the faster",
             { $0.opendp = BaselineFigures(isDP: true, error: "exit code 1"); $0.dp.seconds = 0.5 }, 80, true),
            ("dp_counts_vs_fastest_dp_baseline", "confide failed", { $0.dp = DPFigures(error: "exit code 1") }, nil, nil),
            // dp_seconds: the faster of 8 s and 1 s against confide's.
            ("dp_counts_vs_fastest_dp_baseline_without_reading", "above", { $0.dp.dpSeconds = 0.0625 }, 16, true),
            ("dp_counts_vs_fastest_dp_baseline_without_reading", "below", { $0.dp.dpSeconds = 0.125 }, 8, false),
            ("dp_counts_vs_fastest_dp_baseline_without_reading", "zero seconds", { $0.dp.dpSeconds = 0 }, nil, nil),
            // confide's count MAE against the lower of the baselines' 4 and 6; at most 1.1.
            ("dp_counts_error_vs_best_dp_baseline", "below", { $0.dp.countMAE = 3 }, 0.75, true),
            ("dp_counts_error_vs_best_dp_baseline", "equal", { $0.dp.countMAE = 4 }, 1, true),
            ("dp_counts_error_vs_best_dp_baseline", "above 1.1", { $0.dp.countMAE = 4.5 }, 1.125, false),
            ("dp_counts_error_vs_best_dp_baseline", "PipelineDP failed: OpenDP's is the lower",
             { $0.pipelinedp = BaselineFigures(isDP: true, error: "exit code 1"); $0.dp.countMAE = 4 }, 4.0 / 6, true),
            // Snapshot re-ingest against the first load's 2 s: below 0.3 (unchanged) and 0.4 (1% changed).
            ("snapshot_unchanged_vs_ingest", "below", { $0.snapshotUnchanged = StageFigures(seconds: 0.5, rows: 1_000, peakRSSMiB: nil) }, 0.25, true),
            ("snapshot_unchanged_vs_ingest", "exactly 0.3", { $0.snapshotUnchanged = StageFigures(seconds: 0.6, rows: 1_000, peakRSSMiB: nil) }, 0.3, false),
            ("snapshot_unchanged_vs_ingest", "not run", { $0.snapshotUnchanged = StageFigures(error: "the ingest stage failed") }, nil, nil),
            ("snapshot_changed_vs_ingest", "below", { $0.snapshotChanged = StageFigures(seconds: 0.5, rows: 1_000, peakRSSMiB: nil) }, 0.25, true),
            ("snapshot_changed_vs_ingest", "above", { $0.snapshotChanged = StageFigures(seconds: 1, rows: 1_000, peakRSSMiB: nil) }, 0.5, false),
            ("snapshot_changed_vs_ingest", "ingest failed", { $0.ingest = StageFigures(error: "exit code 1") }, nil, nil),
            // Seconds (the target is for 1,000,000 clients): under 30.
            ("snapshot_unchanged_seconds", "below", { $0.snapshotUnchanged = StageFigures(seconds: 29, rows: 1_000, peakRSSMiB: nil) }, 29, true),
            ("snapshot_unchanged_seconds", "exactly 30", { $0.snapshotUnchanged = StageFigures(seconds: 30, rows: 1_000, peakRSSMiB: nil) }, 30, false),
            ("snapshot_changed_seconds", "above", { $0.snapshotChanged = StageFigures(seconds: 31, rows: 1_000, peakRSSMiB: nil) }, 31, false),
            // Store bytes against export bytes: at most 1.5.
            ("store_bytes_vs_export_bytes", "below", { $0.storeBytes = 1_400 }, 1.4, true),
            ("store_bytes_vs_export_bytes", "above", { $0.storeBytes = 3_500 }, 3.5, false),
            ("store_bytes_vs_export_bytes", "exactly 1.5", { $0.storeBytes = 1_500 }, 1.5, true),
            ("store_bytes_vs_export_bytes", "not measured", { $0.storeBytes = nil }, nil, nil),
            // ingest's 500 rows/s against SQLite's own load of the schema: at least 0.9.
            ("ingest_vs_ingest_floor", "above", { $0.floor.rowsPerSecond = 500 }, 1, true),
            ("ingest_vs_ingest_floor", "just below", { $0.floor.rowsPerSecond = 625 }, 0.8, false),
            ("ingest_vs_ingest_floor", "below", { $0.floor.rowsPerSecond = 1_000 }, 0.5, false),
            ("ingest_vs_ingest_floor", "not run", { $0.floor = BaselineFigures(isDP: false, error: "not run (--no-baselines)") }, nil, nil),
            // A week's metrics: under 2 s.
            ("metrics_seconds", "below", { $0.metrics = StageFigures(seconds: 1.9, rows: 1_000, peakRSSMiB: 30) }, 1.9, true),
            ("metrics_seconds", "exactly 2", { $0.metrics = StageFigures(seconds: 2, rows: 1_000, peakRSSMiB: 30) }, 2, false),
            // Growth against the same run's size with a tenth of the clients (ingest 2 s here): at most 11.
            ("growth_ingest", "no smaller size", { $0.tenth = nil }, nil, nil),
            ("growth_ingest", "exactly 11", { $0.tenth = (100_000, $0.stages(ingest: 2.0 / 11)) }, 11, true),
            ("growth_ingest", "above", { $0.tenth = (100_000, $0.stages(ingest: 0.1)) }, 20, false),
            ("growth_ingest", "below", { $0.tenth = (100_000, $0.stages(ingest: 0.25)) }, 8, true),
            ("growth_ingest", "a size that is not a tenth", { $0.tenth = (200_000, $0.stages(ingest: 0.25)) }, nil, nil),
            ("growth_weekly_run", "above", { $0.tenth = (100_000, $0.stages(ingest: 0.25, weeklyRun: 0.2)) }, 20, false),
            ("growth_snapshot_changed", "below", { $0.tenth = (100_000, $0.stages(ingest: 0.25)) }, 1, true),
        ]
        for c in cases {
            var figures = RunFigures()
            c.change(&figures)
            let check = figures.targets.first { $0.id == c.id }
            #expect(check?.value == c.value, "\(c.id), \(c.note)")
            #expect(check?.met == c.met, "\(c.id), \(c.note)")
        }
    }

    @Test func everyTargetIsCheckedOnceWithItsThreshold() {
        let targets = RunFigures().targets
        #expect(targets.map(\.id) == ["ingest_vs_sqlite_import", "metrics_protect_vs_pandas", "metrics_protect_vs_pipelinedp",
                                      "weekly_run_seconds", "weekly_run_peak_rss_mib", "dp_counts_vs_fastest_dp_baseline",
                                      "dp_counts_vs_fastest_dp_baseline_without_reading", "dp_counts_error_vs_best_dp_baseline",
                                      "snapshot_unchanged_vs_ingest", "snapshot_changed_vs_ingest", "snapshot_unchanged_seconds",
                                      "snapshot_changed_seconds", "store_bytes_vs_export_bytes", "ingest_vs_ingest_floor", "metrics_seconds",
                                      "growth_ingest", "growth_snapshot_unchanged", "growth_snapshot_changed", "growth_metrics",
                                      "growth_protect", "growth_publish", "growth_weekly_run"])
        #expect(targets.map(\.target) == [0.4, 10, 10, 5, 1_024, 10, 10, 1.1, 0.3, 0.4, 30, 30, 1.5, 0.9, 2] + Array(repeating: 11, count: 7))
    }
}

/// One run's figures, as `TargetCheck.all` takes them; each case of the targets test changes some.
private struct RunFigures {
    var ingest = StageFigures(seconds: 2, rows: 1_000, peakRSSMiB: 30)   // 500 rows/s
    var metrics = StageFigures(seconds: 0.5, rows: 1_000, peakRSSMiB: 30)
    var protect = StageFigures(seconds: 1.5, rows: 1_000, peakRSSMiB: 30)
    var weeklyRun = StageFigures(seconds: 4, rows: 10, peakRSSMiB: 512)
    var sqlite = BaselineFigures(isDP: false, seconds: 1, rowsPerSecond: 1_000)
    var pandas = BaselineFigures(isDP: false, seconds: 20)
    var pipelinedp = BaselineFigures(isDP: true, seconds: 40, computeSeconds: 8, countMAE: 4, meanMAE: 10)
    var opendp = BaselineFigures(isDP: true, seconds: 2.5, computeSeconds: 1, countMAE: 6, meanMAE: 10)
    var dp = DPFigures(seconds: 0.25, dpSeconds: 0.0625, countMAE: 3)
    var snapshotUnchanged = StageFigures(seconds: 0.4, rows: 1_000, peakRSSMiB: 30)
    var snapshotChanged = StageFigures(seconds: 0.6, rows: 1_000, peakRSSMiB: 30)
    var storeBytes: Int? = 2_000
    var exportBytes: Int? = 1_000
    var floor = BaselineFigures(isDP: false, seconds: 1, rowsPerSecond: 400)
    var clients = 1_000_000
    var tenth: (clients: Int, stages: Stages)? = nil

    /// The stages of a smaller run: every stage as this run's (ingest and weekly run as given).
    func stages(ingest: Double, weeklyRun: Double? = nil) -> Stages {
        Stages(ingest: StageFigures(seconds: ingest, rows: 100, peakRSSMiB: 30), metrics: metrics, protect: protect, publish: protect,
               weeklyRun: weeklyRun.map { StageFigures(seconds: $0, rows: 1, peakRSSMiB: 30) } ?? self.weeklyRun,
               snapshotUnchanged: snapshotUnchanged, snapshotChanged: snapshotChanged)
    }

    var targets: [TargetCheck] {
        TargetCheck.all(stages: Stages(ingest: ingest, metrics: metrics, protect: protect, publish: protect, weeklyRun: weeklyRun,
                                       snapshotUnchanged: snapshotUnchanged, snapshotChanged: snapshotChanged),
                        baselines: Baselines(sqliteImport: sqlite, pandas: pandas, pipelinedp: pipelinedp, opendp: opendp, ingestFloor: floor),
                        dpCounts: dp, storeBytes: storeBytes, exportBytes: exportBytes, clients: clients, tenth: tenth)
    }
}
