import ConfideStore

/// One quarantined row as the store keeps it: where it was and why, never its values.
public struct QuarantineEntry: Sendable, Equatable, Codable {
    /// The ingest run that read it.
    public let run: Int
    /// When that run started (UTC, ISO 8601).
    public let started: String
    /// The source file (its name in the export).
    public let file: String
    /// The line in the file (1 is the header).
    public let line: Int
    /// The canonical column that failed (or the row, for a whole-row reason).
    public let column: String
    /// Why the row was not loaded.
    public let reason: String
}

extension Workspace {
    /// The rows quarantined by ingest run `run`, or by the latest ingest run when nil, in file
    /// and line order. Empty when that run quarantined nothing (or no ingest has run).
    public func quarantine(run: Int? = nil) throws -> [QuarantineEntry] {
        do {
            guard let chosen = try run ?? db.scalarInt("SELECT max(run_id) FROM ingest_runs") else { return [] }
            return try db.cachedStatement("""
                SELECT q.run_id, r.started, q.file, q.line, q.column_name, q.reason
                FROM quarantine q JOIN ingest_runs r ON r.run_id = q.run_id
                WHERE q.run_id = ? ORDER BY q.file, q.line, q.column_name
                """).map([chosen]) { row in
                QuarantineEntry(run: row.int(0), started: row.string(1), file: row.string(2), line: row.int(3),
                                column: row.string(4), reason: row.string(5))
            }
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        }
    }

    /// The ingest runs in the store, newest first: id, start and rows quarantined.
    public func ingestRuns(limit: Int = 20) throws -> [(run: Int, started: String, quarantined: Int)] {
        try db.cachedStatement("""
            SELECT r.run_id, r.started, coalesce(sum(f.quarantined), 0) FROM ingest_runs r
            LEFT JOIN ingest_files f ON f.run_id = r.run_id GROUP BY r.run_id ORDER BY r.run_id DESC LIMIT ?
            """).map([limit]) { ($0.int(0), $0.string(1), $0.int(2)) }
    }
}
