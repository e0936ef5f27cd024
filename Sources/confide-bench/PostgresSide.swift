import ConfideBench
import ConfideModel
import ConfidePostgres
import Foundation

extension SuiteCommand {
    /// `--store postgres`: the practice's base export ingested into a new PostgreSQL store and
    /// its one-week delta run there (the same child stages as SQLite's), then the raw `COPY`
    /// floor of the base files. A stage that fails carries its error; the suite goes on.
    func measurePostgres(_ size: Int, on server: BenchServer, practice: SyntheticPractice, rows: RowCounts,
                         rates: inout ChildRates) -> PostgresFigures {
        let failed = { (error: Error) in
            PostgresFigures(server: server.location.description, ingest: StageFigures(error: "\(error)"),
                            weeklyRun: StageFigures(error: "\(error)"), copyFloor: StageFigures(error: "\(error)"))
        }
        let database: String
        let workspace: BenchWorkspace
        do {
            let location = try server.freshDatabase("confide_bench_\(size)")
            database = location.url
            workspace = BenchWorkspace(practice: practice, storeURL: location.url)
            try workspace.create(practice: practice)
        } catch {
            return failed(error)
        }
        progress("\(size) clients: PostgreSQL ingest of \(rows.base) rows")
        let ingest = stageChild(["ingest-stage", "--config", workspace.baseConfiguration], stages: ["ingest"],
                                progress: ("\(size) clients: PostgreSQL ingest", rows.base), rates: &rates)["ingest"]!
        var weekly: Result<StageMeasurement, BenchError> = .failure(BenchError("the PostgreSQL ingest stage failed"))
        if case .success = ingest {
            progress("\(size) clients: PostgreSQL weekly run of \(SyntheticPractice.deltaWeek) (\(rows.delta) delta rows)")
            weekly = stageChild(["weekly-run-stage", "--config", workspace.weeklyConfiguration, "--week", SyntheticPractice.deltaWeek.description],
                                stages: ["weekly_run"], progress: ("\(size) clients: PostgreSQL weekly run", rows.delta), rates: &rates)["weekly_run"]!
        }
        progress("\(size) clients: PostgreSQL COPY floor")
        let floor = copyFloor(base: practice.base, database: database)
        func figures(_ result: Result<StageMeasurement, BenchError>, rows: Int) -> StageFigures {
            switch result {
            case .success(let m): StageFigures(seconds: m.seconds, rows: rows, peakRSSMiB: m.peakRSSMiB)
            case .failure(let error): StageFigures(error: error.description)
            }
        }
        for (name, stage) in [("ingest", figures(ingest, rows: rows.base)), ("weekly run", figures(weekly, rows: rows.delta)), ("COPY floor", floor)] {
            progress("\(size) clients: PostgreSQL \(name): " + (stage.seconds.map { String(format: "%.2f s", $0) } ?? stage.error ?? "?"))
        }
        return PostgresFigures(server: server.location.description, ingest: figures(ingest, rows: rows.base),
                               weeklyRun: figures(weekly, rows: rows.delta), copyFloor: floor)
    }

    /// `bench/postgres_copy_floor.sh` on the base export: its rows and seconds.
    private func copyFloor(base: String, database: String) -> StageFigures {
        do {
            let run = try spawnChild("/bin/bash", [copyFloor, base, database], captureOutput: true)
            guard run.status == 0, let line = run.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                  let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let rows = object["rows"] as? Int, let seconds = object["seconds"] as? Double else {
                return StageFigures(error: "\(copyFloor) failed: \(run.failure ?? String(run.output.suffix(300)))")
            }
            return StageFigures(seconds: seconds, rows: rows, peakRSSMiB: nil)
        } catch {
            return StageFigures(error: "\(error)")
        }
    }
}
