import ConfidePostgres
import ConfideStore
public import Logging

/// What a store records of its past runs: the run log, the ingest runs and the rows they
/// quarantined, read alike from SQLite and PostgreSQL (`confide runs`, `confide quarantine`).
/// Opening it checks the store and the key as every command does.
public struct StoreRecords {
    private let db: any SQLConnection
    /// The store as messages name it (a path, or `USER@HOST:PORT/DB`).
    private let store: String
    /// What keeps the connection open (the workspace of an SQLite store).
    private let owner: AnyObject?

    private init(db: any SQLConnection, store: String, owner: AnyObject?) {
        self.db = db
        self.store = store
        self.owner = owner
    }

    /// The records of `workspace`'s store.
    init(_ workspace: Workspace) {
        let configuration = workspace.configuration
        self.init(db: workspace.store, store: configuration.storeURL?.description ?? configuration.storePath, owner: workspace)
    }

    /// Opens the store of `configuration`, SQLite or PostgreSQL.
    ///
    /// - Throws: ``ConfideError`` with the exit code of each failure (docs/operations.md).
    public static func open(_ configuration: Configuration, logger: Logger) throws -> StoreRecords {
        StoreRecords(try Workspace(configuration: configuration, logger: logger))
    }

    /// The run log, newest first. A run that never finished shows as `interrupted`.
    public func runLog(limit: Int = 50) throws -> [RunRecord] {
        try reading {
            try db.fetch("SELECT run_id, started, finished, command, period, outcome, exit_code, detail FROM runs ORDER BY run_id DESC LIMIT ?",
                         [limit]) { row in
                RunRecord(runID: row.int(0), started: row.string(1), finished: row.optionalString(2), command: row.string(3),
                          period: row.optionalString(4), outcome: row.optionalString(2) == nil ? "interrupted" : row.string(5),
                          exitCode: row.int(6), detail: row.string(7))
            }
        }
    }

    /// The rows quarantined by ingest run `run`, or by the latest ingest run when nil, in file
    /// and line order. Empty when that run quarantined nothing (or no ingest has run).
    public func quarantine(run: Int? = nil) throws -> [QuarantineEntry] {
        try reading {
            let latest = try db.fetch("SELECT max(run_id) FROM ingest_runs", []) { $0.optionalInt(0) }
            guard let chosen = run ?? latest.first ?? nil else { return [] }
            return try db.fetch("""
                SELECT q.run_id, r.started, q.file, q.line, q.column_name, q.reason
                FROM quarantine q JOIN ingest_runs r ON r.run_id = q.run_id
                WHERE q.run_id = ? ORDER BY q.file, q.line, q.column_name
                """, [chosen]) { row in
                QuarantineEntry(run: row.int(0), started: row.string(1), file: row.string(2), line: row.int(3),
                                column: row.string(4), reason: row.string(5))
            }
        }
    }

    /// The ingest runs in the store, newest first: id, start and rows quarantined.
    public func ingestRuns(limit: Int = 20) throws -> [(run: Int, started: String, quarantined: Int)] {
        try reading {
            try db.fetch("""
                SELECT r.run_id, r.started, coalesce(sum(f.quarantined), 0) FROM ingest_runs r
                LEFT JOIN ingest_files f ON f.run_id = r.run_id GROUP BY r.run_id, r.started ORDER BY r.run_id DESC LIMIT ?
                """, [limit]) { ($0.int(0), $0.string(1), $0.int(2)) }
        }
    }

    /// `body`, its store errors given their exit codes.
    private func reading<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw storeError(error, path: store)
        } catch let error as PostgresError {
            throw postgresError(error)
        }
    }
}

extension Workspace {
    /// The run log, newest first (``StoreRecords/runLog(limit:)``).
    public func runLog(limit: Int = 50) throws -> [RunRecord] { try StoreRecords(self).runLog(limit: limit) }
}
