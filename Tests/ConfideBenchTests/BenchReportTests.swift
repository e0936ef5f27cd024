import ConfideBench
import Foundation
import Testing

/// A report as a run with one failed baseline would give.
private func sampleReport() -> BenchReport {
    let stage = StageFigures(seconds: 2, rows: 1_000, peakRSSMiB: 30)
    let stages = Stages(ingest: stage, metrics: StageFigures(seconds: 0.1, rows: 1_000, peakRSSMiB: 31), protect: stage,
                        publish: stage, weeklyRun: StageFigures(seconds: 1, rows: 10, peakRSSMiB: 40))
    let baselines = Baselines(
        sqliteImport: BaselineFigures(isDP: false, seconds: 0.5, peakRSSMiB: 6, rowsPerSecond: 2_000),
        pandas: BaselineFigures(isDP: false, seconds: 30, peakRSSMiB: 80, readSeconds: 20, computeSeconds: 10),
        pipelinedp: BaselineFigures(isDP: true, error: "exit code 1: ModuleNotFoundError"),
        opendp: BaselineFigures(isDP: true, seconds: 4, peakRSSMiB: 100, countMAE: 4, meanMAE: 30))
    let dp = DPFigures(epsilon: 1, seconds: 0.2, readSeconds: 0.1, dpSeconds: 0.1, peakRSSMiB: 35, rows: 900, partitions: 40,
                       countMAE: 3, countMAERaw: 3.5, meanMAE: 25)
    return BenchReport(clients: 2_000, rows: RowCounts(base: 1_000, delta: 10, attendedAppointments: 900), stages: stages,
                       baselines: baselines, dpCounts: dp, targets: TargetCheck.all(stages: stages, baselines: baselines, dpCounts: dp),
                       machine: Machine(cores: 2, loadAverage: 1.5, system: "test"))
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct BenchReportTests {
    @Test func jsonHasTheShapeOfIssue7() throws {
        let text = try sampleReport().jsonText()
        #expect(!text.contains("\n"), "one object on one line")
        let json = try object(text)
        #expect(json["clients"] as? Int == 2_000)
        let stages = try #require(json["stages"] as? [String: Any])
        #expect(Set(stages.keys) == ["ingest", "metrics", "protect", "publish", "weekly_run"])
        for (name, value) in stages {
            let stage = try #require(value as? [String: Any], "\(name)")
            for key in ["seconds", "rows_per_second", "peak_rss_mib"] {
                #expect(stage[key] is NSNumber, "stages.\(name).\(key)")
            }
        }
        #expect((stages["ingest"] as? [String: Any])?["rows_per_second"] as? Double == 500)
        let baselines = try #require(json["baselines"] as? [String: Any])
        #expect(Set(baselines.keys) == ["sqlite_import", "pandas", "pipelinedp", "opendp"])
        for (name, value) in baselines {
            let baseline = try #require(value as? [String: Any], "\(name)")
            #expect(baseline.keys.contains("seconds") && baseline.keys.contains("peak_rss_mib"), "baselines.\(name)")
            #expect(baseline.keys.contains("count_mae") == ["pipelinedp", "opendp"].contains(name), "baselines.\(name).count_mae")
        }
        let dp = try #require(json["dp_counts"] as? [String: Any])
        #expect(dp["count_mae"] as? Double == 3)
        #expect(dp["seconds"] is NSNumber)
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

    @Test func theReportDecodesBackToItself() throws {
        let report = sampleReport()
        let decoded = try JSONDecoder().decode(BenchReport.self, from: Data(try report.jsonText().utf8))
        #expect(decoded == report)
    }

    @Test func targetsAreRatiosOfTheSameRun() throws {
        let targets = Dictionary(uniqueKeysWithValues: sampleReport().targets.map { ($0.id, $0) })
        // ingest 500 rows/s against .import's 2,000: a quarter, below one half.
        #expect(targets["ingest_vs_sqlite_import"]?.value == 0.25)
        #expect(targets["ingest_vs_sqlite_import"]?.met == false)
        // pandas 30 s against metrics 0.1 s + protect 2 s.
        #expect(abs((targets["metrics_protect_vs_pandas"]?.value ?? 0) - 30 / 2.1) < 1e-9)
        #expect(targets["metrics_protect_vs_pandas"]?.met == true)
        // PipelineDP did not run: nothing to check.
        #expect(targets["metrics_protect_vs_pipelinedp"]?.value == nil)
        #expect(targets["metrics_protect_vs_pipelinedp"]?.met == nil)
        #expect(targets["weekly_run_seconds"]?.met == true)
        // Only OpenDP ran: 4 s against 0.2 s, and count MAE 3 against 4.
        #expect(targets["dp_counts_vs_fastest_dp_baseline"]?.value == 20)
        #expect(targets["dp_counts_error_vs_best_dp_baseline"]?.value == 0.75)
        #expect(targets["dp_counts_error_vs_best_dp_baseline"]?.met == true)
    }
}
