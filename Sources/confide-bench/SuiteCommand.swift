import ArgumentParser
import ConfideBench
import ConfideModel
import Foundation

/// The suite (default subcommand): for each practice size, prepare the cached exports, run
/// confide's stages each in a child process, then the baselines on the same files, and print
/// a table or one JSON object per size.
struct SuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Run every stage and baseline on each practice size; print a table or JSON.")

    @Option(name: .customLong("clients"),
            help: "Practice size in clients; repeat for several sizes (default: 10000, 100000 and 1000000).")
    var clients: [Int] = []

    @Option(help: "Folder for the cached synthetic exports and each run's workspace (shared with confide-ingest-bench).")
    var work: String = ".build-bench"

    @Flag(help: "Print one JSON object per size (one line each) instead of the table; progress goes to standard error.")
    var json = false

    @Flag(help: "Skip the four baselines (their figures are null with an error saying so).")
    var noBaselines = false

    @Option(help: "ε of the DP comparison's release, for confide and both DP baselines.")
    var epsilon: String = "1"

    @Option(help: "The folder with the baseline scripts and requirements.txt.")
    var baselines: String = "bench/baselines"

    @Option(help: "The virtual environment of the Python baselines (created from requirements.txt when missing).")
    var venv: String = ".venv-bench"

    @Option(help: "Seconds after which a baseline is killed and reported as an error.")
    var baselineTimeLimit: Double = 3600

    @Option(help: "sqlite (the embedded store alone) or postgres (also ingest and the weekly run on a PostgreSQL store, side by side, with the raw COPY floor).")
    var store: String = "sqlite"

    @Option(help: "With --store postgres: a PostgreSQL server (postgresql://USER@HOST:PORT/DB; libpq finds the password; the user makes a database per size). Without it a server is started on loopback for the run.")
    var storeURL: String?

    @Option(help: "With --store postgres and no --store-url: the script that starts the loopback server.")
    var postgresServers: String = ".ci/postgres-servers"

    @Option(help: "With --store postgres: the script that measures the raw COPY floor.")
    var copyFloor: String = "bench/postgres_copy_floor.sh"

    func validate() throws {
        guard clients.allSatisfy({ $0 >= 100 }) else { throw ValidationError("--clients must be at least 100") }
        guard Double(epsilon).map({ $0 > 0 }) == true else { throw ValidationError("--epsilon must be a positive decimal") }
        guard ["sqlite", "postgres"].contains(store) else { throw ValidationError("--store must be sqlite or postgres") }
        guard storeURL == nil || store == "postgres" else { throw ValidationError("--store-url needs --store postgres") }
    }

    func run() throws {
        let sizes = clients.isEmpty ? [10_000, 100_000, 1_000_000] : clients
        var reports: [BenchReport] = []
        var rates = ChildRates()
        let server = store == "postgres" ? try BenchServer(url: storeURL, work: work, script: postgresServers) : nil
        defer { server?.stop() }
        for size in sizes {
            let tenth = reports.first { $0.clients * 10 == size }.map { (clients: $0.clients, stages: $0.stages) }
            let report = try measure(size, rates: &rates, tenth: tenth, server: server)
            reports.append(report)
            if json {
                FileHandle.standardOutput.write(Data((try report.jsonText() + "\n").utf8))
            } else {
                print(ResultTable.render(report))
            }
        }
        if !json, reports.count > 1 { print(ResultTable.growth(reports)) }
    }

    func progress(_ text: String) {
        FileHandle.standardError.write(Data("confide-bench: \(text)\n".utf8))
    }

    /// Everything for one size.
    private func measure(_ size: Int, rates: inout ChildRates, tenth: (clients: Int, stages: Stages)?, server: BenchServer?) throws -> BenchReport {
        let machine = Machine.current()
        let practice = SyntheticPractice(clients: size, work: work)
        progress("\(size) clients: preparing the synthetic practice under \(practice.folder)")
        if try practice.prepare() { progress("\(size) clients: synthesised") }
        let rows = RowCounts(base: try exportRows(practice.base), delta: try exportRows(practice.delta))
        let workspace = BenchWorkspace(practice: practice)
        try workspace.create(practice: practice)
        let baseWeek = SyntheticPractice.baseWeek.description

        progress("\(size) clients: ingest of \(rows.base) rows")
        let ingest = stageChild(["ingest-stage", "--config", workspace.baseConfiguration], stages: ["ingest"],
                                progress: ("\(size) clients: ingest", rows.base), rates: &rates)
        func done(_ stage: String, _ result: Result<StageMeasurement, BenchError>?, rows: Int) {
            guard case .success(let m)? = result else { progress("\(size) clients: \(stage) failed"); return }
            progress("\(size) clients: \(stage) done in \(String(format: "%.2f", m.seconds)) s (\(Int(Double(rows) / max(m.seconds, 1e-9))) rows/s)")
        }
        done("ingest", ingest["ingest"], rows: rows.base)
        var storeBytes: Int?
        let exportBytes = CanonicalFile.allCases.reduce(0) { $0 + fileSize(practice.base + "/" + $1.fileName) }
        var snapshotUnchanged: Result<StageMeasurement, BenchError> = .failure(BenchError("the ingest stage failed"))
        var snapshotChanged = snapshotUnchanged
        if case .success = ingest["ingest"]! {
            storeBytes = workspace.storeBytes()
            do {
                let snapshot = try workspace.snapshotCopy(practice: practice)
                progress("\(size) clients: snapshot re-ingest of the unchanged base export")
                snapshotUnchanged = stageChild(["snapshot-stage", "--config", snapshot.unchanged, "--stage", "snapshot_unchanged"],
                                               stages: ["snapshot_unchanged"],
                                               progress: ("\(size) clients: snapshot, unchanged", rows.base), rates: &rates)["snapshot_unchanged"]!
                done("snapshot unchanged", snapshotUnchanged, rows: rows.base)
                progress("\(size) clients: snapshot re-ingest with 1% of rows changed")
                snapshotChanged = stageChild(["snapshot-stage", "--config", snapshot.changed, "--stage", "snapshot_changed"],
                                             stages: ["snapshot_changed"],
                                             progress: ("\(size) clients: snapshot, 1% changed", rows.base), rates: &rates)["snapshot_changed"]!
                done("snapshot changed", snapshotChanged, rows: rows.base)
            } catch {
                snapshotUnchanged = .failure(BenchError("\(error)"))
                snapshotChanged = snapshotUnchanged
            }
            try? FileManager.default.removeItem(atPath: practice.folder + "/run-snapshot")
        }
        var release: [String: Result<StageMeasurement, BenchError>] = [:]
        var dp: Result<StageMeasurement, BenchError> = .failure(BenchError("the ingest stage failed"))
        var weekly: Result<StageMeasurement, BenchError> = .failure(BenchError("the ingest stage failed"))
        if case .success = ingest["ingest"]! {
            progress("\(size) clients: metrics, protect, publish of \(baseWeek)")
            release = stageChild(["release-stages", "--config", workspace.baseConfiguration, "--week", baseWeek],
                                 stages: ["metrics", "protect", "publish"],
                                 progress: ("\(size) clients: metrics, protect, publish", rows.base), rates: &rates)
            for stage in ["metrics", "protect", "publish"] { done(stage, release[stage], rows: rows.base) }
            progress("\(size) clients: DP counts and means per (therapist, week)")
            dp = stageChild(["dp-counts-stage", "--config", workspace.baseConfiguration, "--epsilon", epsilon], stages: ["dp_counts"],
                            progress: ("\(size) clients: DP counts", rows.base), rates: &rates)["dp_counts"]!
            progress("\(size) clients: weekly run of \(SyntheticPractice.deltaWeek) (\(rows.delta) delta rows)")
            weekly = stageChild(["weekly-run-stage", "--config", workspace.weeklyConfiguration,
                                 "--week", SyntheticPractice.deltaWeek.description], stages: ["weekly_run"],
                                progress: ("\(size) clients: weekly run", rows.delta), rates: &rates)["weekly_run"]!
            done("weekly run", weekly, rows: rows.delta)
        }
        func figures(_ result: Result<StageMeasurement, BenchError>?, rows: Int) -> StageFigures {
            switch result {
            case .success(let m)?: return StageFigures(seconds: m.seconds, rows: rows, peakRSSMiB: m.peakRSSMiB)
            case .failure(let error)?: return StageFigures(error: error.description)
            case nil: return StageFigures(error: "the ingest stage failed")
            }
        }
        let stages = Stages(ingest: figures(ingest["ingest"], rows: rows.base), metrics: figures(release["metrics"], rows: rows.base),
                            protect: figures(release["protect"], rows: rows.base), publish: figures(release["publish"], rows: rows.base),
                            weeklyRun: figures(weekly, rows: rows.delta),
                            snapshotUnchanged: figures(snapshotUnchanged, rows: rows.base),
                            snapshotChanged: figures(snapshotChanged, rows: rows.base))
        let dpCounts: DPFigures
        switch dp {
        case .success(let m):
            dpCounts = DPFigures(epsilon: m.figures["epsilon"], seconds: m.seconds, readSeconds: m.figures["read_seconds"],
                                 dpSeconds: m.figures["dp_seconds"], peakRSSMiB: m.peakRSSMiB, rows: m.figures["rows"].map { Int($0) },
                                 partitions: m.figures["partitions"].map { Int($0) }, countMAE: m.figures["count_mae"],
                                 countMAERaw: m.figures["count_mae_raw"], meanMAE: m.figures["mean_mae"])
        case .failure(let error):
            dpCounts = DPFigures(epsilon: Double(epsilon), error: error.description)
        }

        let baselineFigures: Baselines
        if noBaselines {
            let skipped = "not run (--no-baselines)"
            baselineFigures = Baselines(sqliteImport: BaselineFigures(isDP: false, error: skipped), pandas: BaselineFigures(isDP: false, error: skipped),
                                        pipelinedp: BaselineFigures(isDP: true, error: skipped), opendp: BaselineFigures(isDP: true, error: skipped),
                                        ingestFloor: BaselineFigures(isDP: false, error: skipped))
        } else {
            let runner = PythonBaselines(scripts: baselines, venv: venv, timeLimit: baselineTimeLimit)
            progress("\(size) clients: baseline sqlite3 .import")
            let sqlite = runner.sqliteImport(practice.base)
            progress("\(size) clients: baseline ingest floor (SQLite alone, the store's schema)")
            let floor = runner.ingestFloor(workspace.folder + "/confide.sqlite")
            let python = runner.preparePython()
            progress("\(size) clients: baseline pandas")
            let pandas = runner.pandas(practice.base, week: baseWeek, python: python)
            progress("\(size) clients: baseline PipelineDP")
            let pipelinedp = runner.pipelineDP(practice.base, epsilon: epsilon, python: python)
            progress("\(size) clients: baseline OpenDP")
            let opendp = runner.openDP(practice.base, epsilon: epsilon, python: python)
            baselineFigures = Baselines(sqliteImport: sqlite, pandas: pandas, pipelinedp: pipelinedp, opendp: opendp, ingestFloor: floor)
        }
        let postgres = server.map { measurePostgres(size, on: $0, practice: practice, rows: rows, rates: &rates) }
        var counts = rows
        counts.attendedAppointments = dpCounts.rows
        return BenchReport(clients: size, rows: counts, stages: stages, baselines: baselineFigures, dpCounts: dpCounts,
                           targets: TargetCheck.all(stages: stages, baselines: baselineFigures, dpCounts: dpCounts,
                                                    storeBytes: storeBytes, exportBytes: exportBytes, clients: size, tenth: tenth)
                               + (postgres?.targets(sqlite: stages) ?? []),
                           machine: machine, storeBytes: storeBytes, exportBytes: exportBytes, postgres: postgres)
    }

    /// Runs this program with `arguments` (a stage subcommand) and collects the measurements
    /// of `stages` it prints; a stage it did not report carries the child's failure. While it
    /// runs, a progress line (``StageTicker``) labelled `progress.label` over `progress.rows`
    /// rows, its eta from the rate `rates` holds for the first stage (an earlier size); the
    /// child's rate is then recorded there.
    func stageChild(_ arguments: [String], stages: [String], progress: (label: String, rows: Int),
                            rates: inout ChildRates) -> [String: Result<StageMeasurement, BenchError>] {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let child: ChildRun
        let ticker = StageTicker(label: progress.label, rows: progress.rows, expectedRate: rates.rowsPerSecond[stages[0]])
        do {
            let tick: ((Double) -> Void)? = ticker.isEnabled ? { ticker.tick($0) } : nil
            child = try spawnChild(me, arguments, captureOutput: true, onTick: tick)
            ticker.clear(after: child.seconds)
            if child.status == 0, child.seconds > 0 { rates.rowsPerSecond[stages[0]] = Double(progress.rows) / child.seconds }
        } catch {
            return Dictionary(uniqueKeysWithValues: stages.map { ($0, .failure(BenchError("\(error)"))) })
        }
        let measured = StageMeasurement.parse(child.output)
        let failure = child.failure ?? "the child printed no measurement"
        return Dictionary(uniqueKeysWithValues: stages.map { stage in
            (stage, measured[stage].map { .success($0) } ?? .failure(BenchError(failure)))
        })
    }
}

/// Each stage child's rows per second at the last size measured, keyed by its first stage:
/// the next (larger) size's progress line estimates its eta from it.
struct ChildRates {
    /// Rows per second by the child's first stage name.
    var rowsPerSecond: [String: Double] = [:]
}
