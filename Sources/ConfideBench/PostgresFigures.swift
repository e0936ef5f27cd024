/// `confide-bench --store postgres` (issue 18): the same practice's ingest and weekly run on a
/// PostgreSQL store, beside the SQLite figures of the same run, and the raw `COPY` floor of the
/// same files (`bench/postgres_copy_floor.sh`: the three CSV files into unindexed tables).
public struct PostgresFigures: Codable, Sendable, Equatable {
    /// The server, as messages name it (`USER@HOST:PORT/DB`; never a password).
    public var server: String
    /// `ingest` of the base export into a new PostgreSQL store.
    public var ingest: StageFigures
    /// The scheduled run of the one-week delta on that store: ingest, the week's figures
    /// computed inside the server, protect, store and charge, publish.
    public var weeklyRun: StageFigures
    /// `COPY` of the base export's three files into unindexed tables (rows are the files' rows).
    public var copyFloor: StageFigures

    /// Creates the figures.
    public init(server: String, ingest: StageFigures, weeklyRun: StageFigures, copyFloor: StageFigures) {
        self.server = server
        self.ingest = ingest
        self.weeklyRun = weeklyRun
        self.copyFloor = copyFloor
    }

    enum CodingKeys: String, CodingKey {
        case server, ingest
        case weeklyRun = "weekly_run"
        case copyFloor = "copy_floor"
    }

    /// Issue 18's targets: the weekly run no slower than SQLite's, the ingest at least half
    /// the `COPY` floor's rows per second.
    public func targets(sqlite stages: Stages) -> [TargetCheck] {
        func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
            guard let numerator, let denominator, denominator > 0 else { return nil }
            return numerator / denominator
        }
        return [
            TargetCheck(id: "postgres_weekly_run_vs_sqlite",
                        description: "PostgreSQL weekly run seconds ÷ SQLite weekly run seconds, same practice and run (issue 18: at most 1)",
                        value: ratio(weeklyRun.seconds, stages.weeklyRun.seconds), target: 1, atLeast: false, orEqual: true),
            TargetCheck(id: "postgres_ingest_vs_copy", description: "PostgreSQL ingest rows/s ÷ raw COPY rows/s of the same files (issue 18: at least 0.5)",
                        value: ratio(ingest.rowsPerSecond, copyFloor.rowsPerSecond), target: 0.5, atLeast: true),
        ]
    }
}
