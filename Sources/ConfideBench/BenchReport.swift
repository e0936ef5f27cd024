import Foundation

/// Everything one `confide-bench` run measured for one practice size: the object `--json`
/// prints. Keys are snake_case and are only ever added, never renamed. A figure that could not
/// be measured is `null`, with an `error` string beside it.
public struct BenchReport: Codable, Sendable, Equatable {
    /// Clients in the synthetic practice.
    public var clients: Int
    /// Data rows of the files the stages and baselines read.
    public var rows: RowCounts
    /// confide's stages, each in its own measurement.
    public var stages: Stages
    /// The other tools, on the same files in the same run.
    public var baselines: Baselines
    /// confide's side of the DP speed comparison (issue 5): counts and bounded means per
    /// (therapist, week), the release `pipelinedp` and `opendp` compute.
    public var dpCounts: DPFigures
    /// The targets of issue 7, as ratios of this run's figures.
    public var targets: [TargetCheck]
    /// Where and how it ran.
    public var machine: Machine
    /// Bytes of the store after the first load (the SQLite file with its WAL, if any).
    public var storeBytes: Int?
    /// Bytes of the export the first load read (its three CSV files).
    public var exportBytes: Int?
    /// The same stages on a PostgreSQL store (`--store postgres`; nil without it).
    public var postgres: PostgresFigures?

    /// Creates a report.
    public init(clients: Int, rows: RowCounts, stages: Stages, baselines: Baselines, dpCounts: DPFigures,
                targets: [TargetCheck], machine: Machine, storeBytes: Int? = nil, exportBytes: Int? = nil, postgres: PostgresFigures? = nil) {
        self.clients = clients
        self.rows = rows
        self.stages = stages
        self.baselines = baselines
        self.dpCounts = dpCounts
        self.targets = targets
        self.machine = machine
        self.storeBytes = storeBytes
        self.exportBytes = exportBytes
        self.postgres = postgres
    }

    enum CodingKeys: String, CodingKey {
        case clients, rows, stages, baselines, targets, machine, postgres
        case dpCounts = "dp_counts"
        case storeBytes = "store_bytes"
        case exportBytes = "export_bytes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clients, forKey: .clients)
        try container.encode(rows, forKey: .rows)
        try container.encode(stages, forKey: .stages)
        try container.encode(baselines, forKey: .baselines)
        try container.encode(dpCounts, forKey: .dpCounts)
        try container.encode(targets, forKey: .targets)
        try container.encode(machine, forKey: .machine)
        try container.encode(storeBytes, forKey: .storeBytes)
        try container.encode(exportBytes, forKey: .exportBytes)
        try container.encode(postgres, forKey: .postgres)
    }

    /// The report as one line of JSON (keys sorted, `null` for anything not measured).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Data rows of the inputs.
public struct RowCounts: Codable, Sendable, Equatable {
    /// The three files of the base export (ingest, metrics, protect, publish and the baselines).
    public var base: Int
    /// The three files of the one-week delta export (the weekly run).
    public var delta: Int
    /// Attended appointments with a duration in the base export (the DP comparison).
    public var attendedAppointments: Int?

    /// Creates row counts.
    public init(base: Int, delta: Int, attendedAppointments: Int? = nil) {
        self.base = base
        self.delta = delta
        self.attendedAppointments = attendedAppointments
    }

    enum CodingKeys: String, CodingKey {
        case base, delta
        case attendedAppointments = "attended_appointments"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(base, forKey: .base)
        try container.encode(delta, forKey: .delta)
        try container.encode(attendedAppointments, forKey: .attendedAppointments)
    }
}

/// confide's stages.
public struct Stages: Codable, Sendable, Equatable {
    /// Ingest of the base export into a new store.
    public var ingest: StageFigures
    /// Exact figures of the base export's last week from the store.
    public var metrics: StageFigures
    /// Bounding and noise of that week's release.
    public var protect: StageFigures
    /// Rendering, leak audit and atomic publication of that release.
    public var publish: StageFigures
    /// End to end: a scheduled run that ingests the one-week delta and publishes that week.
    public var weeklyRun: StageFigures
    /// The same base export ingested again in snapshot mode into the loaded store (every row
    /// unchanged).
    public var snapshotUnchanged: StageFigures
    /// Then the base export with 1% of its rows changed, in snapshot mode.
    public var snapshotChanged: StageFigures

    /// Creates the stages.
    public init(ingest: StageFigures, metrics: StageFigures, protect: StageFigures, publish: StageFigures, weeklyRun: StageFigures,
                snapshotUnchanged: StageFigures = StageFigures(error: "not run"),
                snapshotChanged: StageFigures = StageFigures(error: "not run")) {
        self.ingest = ingest
        self.metrics = metrics
        self.protect = protect
        self.publish = publish
        self.weeklyRun = weeklyRun
        self.snapshotUnchanged = snapshotUnchanged
        self.snapshotChanged = snapshotChanged
    }

    enum CodingKeys: String, CodingKey {
        case ingest, metrics, protect, publish
        case weeklyRun = "weekly_run"
        case snapshotUnchanged = "snapshot_unchanged"
        case snapshotChanged = "snapshot_changed"
    }
}

/// What one stage took.
public struct StageFigures: Codable, Sendable, Equatable {
    /// Wall seconds of the stage's own work.
    public var seconds: Double?
    /// ``rows`` divided by ``seconds``.
    public var rowsPerSecond: Double?
    /// The peak resident memory while the stage ran, in MiB.
    public var peakRSSMiB: Double?
    /// The rows the figure is per: the input's data rows (base export, or the delta for the
    /// weekly run).
    public var rows: Int?
    /// Why the stage has no figures.
    public var error: String?

    /// Figures of a stage that ran.
    public init(seconds: Double, rows: Int, peakRSSMiB: Double?) {
        self.seconds = seconds
        self.rows = rows
        self.rowsPerSecond = seconds > 0 ? Double(rows) / seconds : nil
        self.peakRSSMiB = peakRSSMiB
    }

    /// A stage that could not run.
    public init(error: String) { self.error = error }

    enum CodingKeys: String, CodingKey {
        case seconds, rows, error
        case rowsPerSecond = "rows_per_second"
        case peakRSSMiB = "peak_rss_mib"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(rowsPerSecond, forKey: .rowsPerSecond)
        try container.encode(peakRSSMiB, forKey: .peakRSSMiB)
        try container.encode(rows, forKey: .rows)
        try container.encodeIfPresent(error, forKey: .error)
    }
}

/// The baselines.
public struct Baselines: Codable, Sendable, Equatable {
    /// The `sqlite3` shell's `.import --csv` of the base export (against ingest).
    public var sqliteImport: BaselineFigures
    /// `pandas_metrics.py`: the exact figures of the same week (against metrics + protect).
    public var pandas: BaselineFigures
    /// `pipelinedp_counts.py`: DP counts and means per (therapist, week).
    public var pipelinedp: BaselineFigures
    /// `opendp_counts.py`: the same release with OpenDP.
    public var opendp: BaselineFigures
    /// `bench/ingest_floor.sh`: SQLite alone loading the store's rows into its own schema
    /// (`rows_per_second` of its `store_schema` variant; against ingest).
    public var ingestFloor: BaselineFigures

    /// Creates the baselines.
    public init(sqliteImport: BaselineFigures, pandas: BaselineFigures, pipelinedp: BaselineFigures, opendp: BaselineFigures,
                ingestFloor: BaselineFigures = BaselineFigures(isDP: false, error: "not run")) {
        self.sqliteImport = sqliteImport
        self.pandas = pandas
        self.pipelinedp = pipelinedp
        self.opendp = opendp
        self.ingestFloor = ingestFloor
    }

    /// Decodes a report's baselines; one written before the floor was measured has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sqliteImport = try container.decode(BaselineFigures.self, forKey: .sqliteImport)
        pandas = try container.decode(BaselineFigures.self, forKey: .pandas)
        pipelinedp = try container.decode(BaselineFigures.self, forKey: .pipelinedp)
        opendp = try container.decode(BaselineFigures.self, forKey: .opendp)
        ingestFloor = try container.decodeIfPresent(BaselineFigures.self, forKey: .ingestFloor) ?? BaselineFigures(isDP: false, error: "not run")
    }

    enum CodingKeys: String, CodingKey {
        case pandas, pipelinedp, opendp
        case sqliteImport = "sqlite_import"
        case ingestFloor = "ingest_floor"
    }
}

/// What one baseline took (from its own JSON report, peak memory from `wait4` when the
/// script has none).
public struct BaselineFigures: Codable, Sendable, Equatable {
    /// True for the DP baselines, which always carry `count_mae` and `mean_mae`.
    public var isDP: Bool
    /// Wall seconds as the script measured them (reading included).
    public var seconds: Double?
    /// Peak resident memory, MiB.
    public var peakRSSMiB: Double?
    /// Data rows per second (sqlite import).
    public var rowsPerSecond: Double?
    /// Seconds reading the CSV files (pandas-based scripts).
    public var readSeconds: Double?
    /// Seconds after reading: computing (pandas) or bounding and noise (DP scripts).
    public var computeSeconds: Double?
    /// Mean absolute error of the released counts against the exact ones (DP).
    public var countMAE: Double?
    /// Mean absolute error of the released means against the exact ones (DP).
    public var meanMAE: Double?
    /// The tool's version.
    public var version: String?
    /// Why it has no figures.
    public var error: String?

    /// Creates baseline figures.
    public init(isDP: Bool, seconds: Double? = nil, peakRSSMiB: Double? = nil, rowsPerSecond: Double? = nil,
                readSeconds: Double? = nil, computeSeconds: Double? = nil, countMAE: Double? = nil, meanMAE: Double? = nil,
                version: String? = nil, error: String? = nil) {
        self.isDP = isDP
        self.seconds = seconds
        self.peakRSSMiB = peakRSSMiB
        self.rowsPerSecond = rowsPerSecond
        self.readSeconds = readSeconds
        self.computeSeconds = computeSeconds
        self.countMAE = countMAE
        self.meanMAE = meanMAE
        self.version = version
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case seconds, version, error
        case peakRSSMiB = "peak_rss_mib"
        case rowsPerSecond = "rows_per_second"
        case readSeconds = "read_seconds"
        case computeSeconds = "compute_seconds"
        case countMAE = "count_mae"
        case meanMAE = "mean_mae"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        isDP = container.contains(.countMAE)
        seconds = try container.decodeIfPresent(Double.self, forKey: .seconds)
        peakRSSMiB = try container.decodeIfPresent(Double.self, forKey: .peakRSSMiB)
        rowsPerSecond = try container.decodeIfPresent(Double.self, forKey: .rowsPerSecond)
        readSeconds = try container.decodeIfPresent(Double.self, forKey: .readSeconds)
        computeSeconds = try container.decodeIfPresent(Double.self, forKey: .computeSeconds)
        countMAE = try container.decodeIfPresent(Double.self, forKey: .countMAE)
        meanMAE = try container.decodeIfPresent(Double.self, forKey: .meanMAE)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        error = try container.decodeIfPresent(String.self, forKey: .error)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(peakRSSMiB, forKey: .peakRSSMiB)
        if isDP {
            try container.encode(countMAE, forKey: .countMAE)
            try container.encode(meanMAE, forKey: .meanMAE)
        }
        try container.encodeIfPresent(rowsPerSecond, forKey: .rowsPerSecond)
        try container.encodeIfPresent(readSeconds, forKey: .readSeconds)
        try container.encodeIfPresent(computeSeconds, forKey: .computeSeconds)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encodeIfPresent(error, forKey: .error)
    }
}

/// confide's DP counts and bounded means per (therapist, week): the release of the DP
/// baselines, with confide's bounding and exact discrete Laplace sampler, read from its store.
public struct DPFigures: Codable, Sendable, Equatable {
    /// ε of the whole release (counts and sums get half each, as in the baselines).
    public var epsilon: Double?
    /// Seconds from the store to the released values (reading included).
    public var seconds: Double?
    /// Seconds reading the attended appointments from the store.
    public var readSeconds: Double?
    /// Seconds bounding and drawing noise (the baselines' `dp_seconds`).
    public var dpSeconds: Double?
    /// Peak resident memory, MiB.
    public var peakRSSMiB: Double?
    /// Attended appointments read.
    public var rows: Int?
    /// Public partitions (therapists × weeks).
    public var partitions: Int?
    /// MAE of the counts as confide publishes them (noisy, negative set to zero).
    public var countMAE: Double?
    /// MAE of the raw noisy counts (no post-processing), as the baselines report theirs.
    public var countMAERaw: Double?
    /// MAE of the bounded means against the exact means (partitions with appointments).
    public var meanMAE: Double?
    /// Why it has no figures.
    public var error: String?

    /// Creates figures.
    public init(epsilon: Double? = nil, seconds: Double? = nil, readSeconds: Double? = nil, dpSeconds: Double? = nil,
                peakRSSMiB: Double? = nil, rows: Int? = nil, partitions: Int? = nil, countMAE: Double? = nil,
                countMAERaw: Double? = nil, meanMAE: Double? = nil, error: String? = nil) {
        self.epsilon = epsilon
        self.seconds = seconds
        self.readSeconds = readSeconds
        self.dpSeconds = dpSeconds
        self.peakRSSMiB = peakRSSMiB
        self.rows = rows
        self.partitions = partitions
        self.countMAE = countMAE
        self.countMAERaw = countMAERaw
        self.meanMAE = meanMAE
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case epsilon, seconds, rows, partitions, error
        case readSeconds = "read_seconds"
        case dpSeconds = "dp_seconds"
        case peakRSSMiB = "peak_rss_mib"
        case countMAE = "count_mae"
        case countMAERaw = "count_mae_raw"
        case meanMAE = "mean_mae"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(epsilon, forKey: .epsilon)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(readSeconds, forKey: .readSeconds)
        try container.encode(dpSeconds, forKey: .dpSeconds)
        try container.encode(peakRSSMiB, forKey: .peakRSSMiB)
        try container.encode(rows, forKey: .rows)
        try container.encode(partitions, forKey: .partitions)
        try container.encode(countMAE, forKey: .countMAE)
        try container.encode(countMAERaw, forKey: .countMAERaw)
        try container.encode(meanMAE, forKey: .meanMAE)
        try container.encodeIfPresent(error, forKey: .error)
    }
}

/// One target of issue 7, checked against this run's figures.
public struct TargetCheck: Codable, Sendable, Equatable {
    /// A stable id, for example `ingest_vs_sqlite_import`.
    public var id: String
    /// What is compared, in words.
    public var description: String
    /// The measured figure (a ratio, seconds or MiB), nil when an input is missing.
    public var value: Double?
    /// The figure the target asks for.
    public var target: Double
    /// True when met, nil when it could not be checked.
    public var met: Bool?

    /// A target met when `value` is at least `target` (`atLeast`), or else below it (at most
    /// `target` with `orEqual`).
    public init(id: String, description: String, value: Double?, target: Double, atLeast: Bool, orEqual: Bool = false) {
        self.id = id
        self.description = description
        self.value = value
        self.target = target
        self.met = value.map { atLeast ? $0 >= target : ($0 < target || (orEqual && $0 == target)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(description, forKey: .description)
        try container.encode(value, forKey: .value)
        try container.encode(target, forKey: .target)
        try container.encode(met, forKey: .met)
    }
}

/// The machine and software of a run.
public struct Machine: Codable, Sendable, Equatable {
    /// Online processors.
    public var cores: Int
    /// The 1-minute load average when the run started (a shared machine shows here).
    public var loadAverage: Double?
    /// The operating system.
    public var system: String

    /// Creates a description.
    public init(cores: Int, loadAverage: Double?, system: String) {
        self.cores = cores
        self.loadAverage = loadAverage
        self.system = system
    }

    /// This machine now.
    public static func current() -> Machine {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
        return Machine(cores: ProcessInfo.processInfo.activeProcessorCount, loadAverage: load,
                       system: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    enum CodingKeys: String, CodingKey {
        case cores, system
        case loadAverage = "load_average"
    }
}

extension TargetCheck {
    /// The stages whose growth issue 17 limits, by their JSON names.
    public static let growingStages: [(name: String, figures: @Sendable (Stages) -> StageFigures)] = [
        ("ingest", \.ingest), ("snapshot_unchanged", \.snapshotUnchanged), ("snapshot_changed", \.snapshotChanged),
        ("metrics", \.metrics), ("protect", \.protect), ("publish", \.publish), ("weekly_run", \.weeklyRun),
    ]

    /// The targets of issue 7, issue 5's speed check and issue 17's, from one run's figures.
    ///
    /// - Parameters:
    ///   - clients: this size; with `tenth`, the figures of a size with a tenth of the clients
    ///     measured in the same run, each stage's growth is checked (at most 11 times the time
    ///     for 10 times the clients); otherwise the growth targets are null.
    public static func all(stages: Stages, baselines: Baselines, dpCounts: DPFigures,
                           storeBytes: Int? = nil, exportBytes: Int? = nil,
                           clients: Int? = nil, tenth: (clients: Int, stages: Stages)? = nil) -> [TargetCheck] {
        func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
            guard let numerator, let denominator, denominator > 0 else { return nil }
            return numerator / denominator
        }
        let metricsProtect = stages.metrics.seconds.flatMap { m in stages.protect.seconds.map { m + $0 } }
        let dpBaselines = [baselines.pipelinedp, baselines.opendp]
        let fastest = dpBaselines.compactMap(\.seconds).min()
        let fastestDP = dpBaselines.compactMap(\.computeSeconds).min()
        let lowestError = dpBaselines.compactMap(\.countMAE).min()
        let comparable = tenth.flatMap { tenth in clients.map { $0 == 10 * tenth.clients } } == true ? tenth : nil
        let growth = growingStages.map { stage in
            TargetCheck(id: "growth_\(stage.name)",
                        description: "\(stage.name) seconds ÷ its seconds at a tenth of the clients in the same run (at most 11)",
                        value: ratio(stage.figures(stages).seconds, comparable.flatMap { stage.figures($0.stages).seconds }),
                        target: 11, atLeast: false, orEqual: true)
        }
        return [
            TargetCheck(id: "ingest_vs_sqlite_import", description: "ingest rows/s ÷ sqlite3 .import rows/s (issue 17: at least 0.4)",
                        value: ratio(stages.ingest.rowsPerSecond, baselines.sqliteImport.rowsPerSecond), target: 0.4, atLeast: true),
            TargetCheck(id: "metrics_protect_vs_pandas", description: "pandas seconds ÷ (metrics + protect) seconds",
                        value: ratio(baselines.pandas.seconds, metricsProtect), target: 10, atLeast: true),
            TargetCheck(id: "metrics_protect_vs_pipelinedp", description: "PipelineDP seconds ÷ (metrics + protect) seconds",
                        value: ratio(baselines.pipelinedp.seconds, metricsProtect), target: 10, atLeast: true),
            TargetCheck(id: "weekly_run_seconds", description: "weekly run seconds (target at 1,000,000 clients)",
                        value: stages.weeklyRun.seconds, target: 5, atLeast: false),
            TargetCheck(id: "weekly_run_peak_rss_mib", description: "weekly run peak memory, MiB (target at 1,000,000 clients)",
                        value: stages.weeklyRun.peakRSSMiB, target: 1024, atLeast: false),
            TargetCheck(id: "dp_counts_vs_fastest_dp_baseline", description: "faster DP baseline's seconds ÷ confide's, reading included",
                        value: ratio(fastest, dpCounts.seconds), target: 10, atLeast: true),
            TargetCheck(id: "dp_counts_vs_fastest_dp_baseline_without_reading",
                        description: "faster DP baseline's dp_seconds ÷ confide's dp_seconds (bounding and noise only)",
                        value: ratio(fastestDP, dpCounts.dpSeconds), target: 10, atLeast: true),
            TargetCheck(id: "dp_counts_error_vs_best_dp_baseline",
                        description: "confide's count MAE ÷ the lower DP baseline count MAE (within 1.1: the same optimal mechanism, so not lower)",
                        value: ratio(dpCounts.countMAE, lowestError), target: 1.1, atLeast: false, orEqual: true),
            TargetCheck(id: "snapshot_unchanged_vs_ingest", description: "snapshot re-ingest of the unchanged export, seconds ÷ first load seconds",
                        value: ratio(stages.snapshotUnchanged.seconds, stages.ingest.seconds), target: 0.3, atLeast: false),
            TargetCheck(id: "snapshot_changed_vs_ingest", description: "snapshot re-ingest with 1% of rows changed, seconds ÷ first load seconds",
                        value: ratio(stages.snapshotChanged.seconds, stages.ingest.seconds), target: 0.4, atLeast: false),
            TargetCheck(id: "snapshot_unchanged_seconds", description: "snapshot re-ingest of the unchanged export, seconds (target at 1,000,000 clients)",
                        value: stages.snapshotUnchanged.seconds, target: 30, atLeast: false),
            TargetCheck(id: "snapshot_changed_seconds", description: "snapshot re-ingest with 1% of rows changed, seconds (target at 1,000,000 clients)",
                        value: stages.snapshotChanged.seconds, target: 30, atLeast: false),
            TargetCheck(id: "store_bytes_vs_export_bytes", description: "store bytes after the first load ÷ export bytes",
                        value: ratio(storeBytes.map(Double.init), exportBytes.map(Double.init)), target: 1.5, atLeast: false, orEqual: true),
            TargetCheck(id: "ingest_vs_ingest_floor", description: "ingest rows/s ÷ the rows/s of SQLite alone loading the store's schema (bench/ingest_floor.sh)",
                        value: ratio(stages.ingest.rowsPerSecond, baselines.ingestFloor.rowsPerSecond), target: 0.9, atLeast: true),
            TargetCheck(id: "metrics_seconds", description: "a week's metrics, seconds (target at 1,000,000 clients)",
                        value: stages.metrics.seconds, target: 2, atLeast: false),
        ] + growth
    }
}
