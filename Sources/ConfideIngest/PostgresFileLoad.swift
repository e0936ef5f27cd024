import ConfideModel
import ConfidePostgres
import ConfideStore

/// The store side of the load of one canonical file into a PostgreSQL store (issue 18).
///
/// Where SQLite's ``FileLoad`` offers each row to the table by key, this one is set-based, as
/// a server across a network needs: each batch's rows are `COPY`ed (binary) into a temporary
/// staging table with their line numbers, and when the file is read a handful of statements
/// decide and write everything at once. The outcomes are SQLite's, row for row
/// (`PostgresIngestTests` compares both stores and reconciliations on random exports):
///
/// - the first row of a key is inserted, updated or unchanged against the stored row; a later
///   row with that key is unchanged when it holds the first row's content, else a conflict
///   (`duplicate_conflict`, quarantined at its line);
/// - the stored row keeps the run and the digest of the last parsed row that SQLite would have
///   written (``winnerSQL``);
/// - a row whose referral is not stored waits in `pending_*` (the last of a key wins) and is
///   quarantined as `unknown_referral`; a waiting row is dropped when a later line of this file
///   stores its key;
/// - erased and expired rows are told apart in Swift (their tombstones are keyed HMACs, and the
///   key never leaves the process) and never reach the server.
///
/// The staging tables live until the transaction ends (`ON COMMIT DROP`): the snapshot
/// reconciliation reads which keys the export held from them.
final class PostgresFileLoad {
    let file: CanonicalFile
    /// The file's reconciliation so far.
    private(set) var report: FileReport
    private let db: PostgresConnection
    private let run: Int
    private let snapshot: Bool
    private var tombstones: Tombstones
    private let table: String
    /// The stored table's key and content columns.
    private let keys: [String], content: [String]
    /// The same columns as parsed: a referral named by its pseudonym (`referral_id`).
    private let parsedKeys: [String], parsedContent: [String]
    private var rejected: [(line: Int, rejection: RowRejection)] = []

    /// The staging table of `file` (it lives until the ingest's transaction ends).
    static func stage(of file: CanonicalFile) -> String { "confide_stage_" + RowParser.tableColumns(file).table }

    /// Creates the file's staging table in `db`; the file's reconciliation starts as `report`
    /// (``ExportFile/newReport``).
    init(file: CanonicalFile, report: FileReport, db: PostgresConnection, run: Int, snapshot: Bool, pseudonymizer: Pseudonymizer) throws {
        self.file = file
        self.db = db
        self.run = run
        self.snapshot = snapshot
        self.report = report
        (table, keys, content) = RowParser.tableColumns(file)
        let parsed = { (column: String) in column == "referral_key" ? "referral_id" : column }
        parsedKeys = keys.map(parsed)
        parsedContent = content.map(parsed)
        tombstones = try Tombstones(db, pseudonymizer: pseudonymizer)
        // The staging table takes its column types from the table the rows end in (a waiting
        // row's table, for appointments and scores, names the referral by pseudonym).
        let source = file == .referrals ? table : "pending_" + table
        try db.execute("""
            CREATE TEMP TABLE \(stage) ON COMMIT DROP AS
            SELECT \((parsedKeys + parsedContent).joined(separator: ", ")), 0::bigint AS line, 0::bigint AS row_digest,
                   0::bigint AS row_fallbacks, 0::bigint AS is_restricted, 0::bigint AS referral_key_found
            FROM \(source) WITH NO DATA
            """)
        try db.execute("CREATE TEMP TABLE \(rejections) (line BIGINT NOT NULL, column_name TEXT NOT NULL, reason TEXT NOT NULL) ON COMMIT DROP")
    }

    private var stage: String { Self.stage(of: file) }
    private var rejections: String { "confide_rejected_" + table }
    private var outcomes: String { "confide_outcome_" + table }
    private var winners: String { "confide_winner_" + table }

    /// Stages every record of `batch`, after telling erased and expired rows apart.
    func load(_ batch: RecordBatch) throws {
        report.read += batch.count
        rejected += batch.rejected
        let rows = batch.rows
        var erased = [Bool](repeating: false, count: rows.count)
        if !tombstones.isEmpty {
            // As SQLite's load: a referral row is always asked; another row only when its
            // referral is not stored (a stored referral has no tombstone).
            let stored = file == .referrals ? [] : try storedReferrals(Set(rows.compactMap(\.referral)))
            for index in rows.indices where file == .referrals || !stored.contains(rows[index].referral ?? "") {
                switch try tombstones.erasure(of: rows[index], in: file) {
                case .forgotten?: report.forgotten += 1; erased[index] = true
                case .expired?: report.expired += 1; erased[index] = true
                case nil: break
                }
            }
        }
        let columns = parsedKeys + parsedContent + ["line", "row_digest", "row_fallbacks", "is_restricted"]
        _ = try db.copy(into: stage, columns: columns, format: .binary) { copy in
            for index in rows.indices where !erased[index] {
                let row = rows[index]
                let trailing: [DatabaseValueConvertible] = [batch.rowLines[index], row.digest.map(DatabaseValue.integer) ?? .null,
                                                            row.fallbacks, row.isRestricted ? 1 : 0]
                var values: [DatabaseValueConvertible] = row.keys
                values += row.content
                values += trailing
                copy.append(values)
            }
        }
    }

    /// The referrals of `pseudonyms` (hex) that are stored.
    private func storedReferrals(_ pseudonyms: Set<String>) throws -> Set<String> {
        guard !pseudonyms.isEmpty else { return [] }
        let rows = try db.query("""
            SELECT encode(referral_id, 'hex') FROM referrals
            WHERE referral_id IN (SELECT decode(h, 'hex') FROM unnest(string_to_array($1, ',')) AS h)
            """, [pseudonyms.joined(separator: ",")])
        return Set(rows.map { $0.string(0) })
    }

    /// Decides and writes the staged rows: held, inserted, updated, unchanged or in conflict;
    /// quarantine written in line order. Returns the file's reconciliation.
    func merge(outOfVocabulary: [String: Int]) throws -> FileReport {
        report.outOfVocabulary = outOfVocabulary
        _ = try db.copy(into: rejections, columns: ["line", "column_name", "reason"], format: .binary) { copy in
            for (line, rejection) in rejected { copy.append([line, rejection.column, rejection.reason.rawValue]) }
        }
        rejected = []
        // A temporary table has no statistics until it is analysed: without them the planner
        // guessed a small table and joined the week's delta by scanning every stored referral.
        try db.execute("ANALYZE \(stage)")
        let known: String
        if file == .referrals {
            known = "TRUE"
        } else {
            try db.execute("UPDATE \(stage) AS s SET referral_key_found = r.referral_key FROM referrals AS r WHERE r.referral_id = s.referral_id")
            try hold()
            known = "s.referral_key_found IS NOT NULL"
        }
        try decide(known: known)
        try write()
        if file != .referrals { try discardWaiting() }
        try db.execute("""
            INSERT INTO quarantine (run_id, file, line, column_name, reason)
            SELECT $1, $2, line, column_name, reason FROM \(rejections) ORDER BY line
            """, [run, report.file])
        for row in try db.query("SELECT reason, count(*) FROM \(rejections) GROUP BY reason") {
            report.reasons[row.string(0), default: 0] += row.int(1)
        }
        return report
    }

    /// A stored column's value in a staged row `s`: the referral's key where the table keeps one.
    private func staged(_ column: String, _ alias: String = "s") -> String {
        alias + "." + (column == "referral_key" ? "referral_key_found" : column)
    }

    /// The condition that staged row `s` has the key of stored row `t`.
    private var stagedKeyMatch: String { keys.map { "\(staged($0)) = t.\($0)" }.joined(separator: " AND ") }

    /// Rows whose referral is not stored wait for it (the last row of a key wins), and are
    /// quarantined as `unknown_referral`.
    private func hold() throws {
        let all = parsedKeys + parsedContent
        try db.execute("""
            INSERT INTO pending_\(table) (\((all + ["deferred_run", "line"]).joined(separator: ", ")))
            SELECT DISTINCT ON (\(parsedKeys.joined(separator: ", "))) \(all.joined(separator: ", ")), $1, line
            FROM \(stage) WHERE referral_key_found IS NULL
            ORDER BY \(parsedKeys.joined(separator: ", ")), line DESC
            ON CONFLICT (\(parsedKeys.joined(separator: ", "))) DO UPDATE SET
            \((all.filter { !parsedKeys.contains($0) } + ["deferred_run", "line"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """, [run])
        try db.execute("""
            INSERT INTO \(rejections) (line, column_name, reason)
            SELECT line, 'referral_id', '\(QuarantineReason.unknownReferral.rawValue)' FROM \(stage) WHERE referral_key_found IS NULL
            """)
    }

    /// Each staged row with a stored referral gets its outcome: the first row of a key against
    /// the stored row (`inserted`, `updated`, `unchanged`), a later one against the first
    /// (`same` or `conflict`).
    private func decide(known: String) throws {
        let stagedKeys = keys.map { staged($0) }.joined(separator: ", ")
        // Window functions, not a join of the staging table with its first rows: one sort by
        // key, whatever the planner knows of the staging table.
        let firstContent = content.map { "first_value(\(staged($0))) OVER byKey" }.joined(separator: ", ")
        let ownContent = content.map { staged($0) }.joined(separator: ", ")
        let storedContent = content.map { "t.\($0)" }.joined(separator: ", ")
        let orderedContent = content.map { "o.\($0 == "referral_key" ? "referral_key_found" : $0)" }.joined(separator: ", ")
        try db.execute("""
            CREATE TEMP TABLE \(outcomes) ON COMMIT DROP AS
            SELECT o.line, o.first_line, o.is_restricted, o.row_digest, t.row_digest AS stored_digest,
                   CASE WHEN o.line <> o.first_line THEN CASE WHEN o.same_as_first THEN 'same' ELSE 'conflict' END
                        WHEN t.seen_run IS NULL THEN 'inserted'
                        WHEN (\(storedContent)) IS NOT DISTINCT FROM (\(orderedContent)) THEN 'unchanged'
                        ELSE 'updated' END AS outcome
            FROM (
                SELECT s.*, first_value(s.line) OVER byKey AS first_line,
                       (\(ownContent)) IS NOT DISTINCT FROM (\(firstContent)) AS same_as_first
                FROM \(stage) AS s WHERE \(known)
                WINDOW byKey AS (PARTITION BY \(stagedKeys) ORDER BY s.line)
            ) AS o
            LEFT JOIN \(table) AS t ON \(keys.map { "\(staged($0, "o")) = t.\($0)" }.joined(separator: " AND "))
            """)
        for row in try db.query("SELECT outcome, count(*), sum(is_restricted) FROM \(outcomes) GROUP BY outcome") {
            let count = row.int(1)
            switch row.string(0) {
            case "inserted": report.inserted += count
            case "updated": report.updated += count
            case "unchanged", "same": report.unchanged += count
            default: continue
            }
            report.restricted += row.int(2)
        }
        let column = file == .appointments ? "appointment_id" : "referral_id"
        try db.execute("""
            INSERT INTO \(rejections) (line, column_name, reason)
            SELECT line, '\(column)', '\(QuarantineReason.duplicateConflict.rawValue)' FROM \(outcomes) WHERE outcome = 'conflict'
            """)
        try db.execute("""
            CREATE TEMP TABLE \(winners) ON COMMIT DROP AS \(winnerSQL)
            """)
        // Planned without statistics, a join of the winners with a stored table of a million
        // rows ran as a nested loop for minutes.
        try db.execute("ANALYZE \(winners)")
    }

    /// For each key, the staged row whose content and digest the stored row ends with, and the
    /// first row's outcome: what SQLite's row-by-row upserts leave. The first row writes (or,
    /// unchanged, touches) the stored row; a later row with the same content touches it again
    /// when it has a digest. In snapshot mode a row whose digest the stored row already has was
    /// recognised unparsed by SQLite and touches nothing, so an unchanged key whose rows all
    /// carry the stored digest has no winner.
    private var winnerSQL: String {
        let recognised = snapshot ? "AND NOT (o.first_outcome = 'unchanged' AND o.row_digest IS NOT DISTINCT FROM o.stored_digest)" : ""
        return """
            SELECT DISTINCT ON (c.first_line) c.first_line, c.line, c.first_outcome FROM (
                SELECT o.line, o.first_line, o.row_digest, o.first_outcome, min(o.line) OVER (PARTITION BY o.first_line) AS lead_line
                FROM (SELECT o.*, first_value(o.outcome) OVER (PARTITION BY o.first_line ORDER BY o.line) AS first_outcome
                      FROM \(outcomes) AS o) AS o
                WHERE o.outcome <> 'conflict' \(recognised)
            ) AS c
            WHERE c.line = c.lead_line OR c.row_digest IS NOT NULL
            ORDER BY c.first_line, c.line DESC
            """
    }

    /// Writes the winners: new rows inserted (in key order), changed rows replaced, unchanged
    /// rows touched (run, digest and fallbacks only, so that no progress trigger fires); a
    /// statement with nothing to write is not run.
    private func write() throws {
        let all = keys + content
        let trailing = ["seen_run", "row_digest", "row_fallbacks"]
        if report.inserted > 0 {
            try db.execute("""
            INSERT INTO \(table) (\((all + trailing).joined(separator: ", ")))
            SELECT \(all.map { staged($0) }.joined(separator: ", ")), $1, s.row_digest, s.row_fallbacks
            FROM \(winners) AS w JOIN \(stage) AS s ON s.line = w.line WHERE w.first_outcome = 'inserted'
            ORDER BY \(keys.map { staged($0) }.joined(separator: ", "))
            """, [run])
        }
        if report.updated > 0 {
            try db.execute("""
            UPDATE \(table) AS t SET \((content + trailing).map { "\($0) = \($0 == "seen_run" ? "$1" : staged($0))" }.joined(separator: ", "))
            FROM \(winners) AS w JOIN \(stage) AS s ON s.line = w.line
            WHERE w.first_outcome = 'updated' AND \(stagedKeyMatch)
            """, [run])
        }
        if report.unchanged > 0 {
            try db.execute("""
            UPDATE \(table) AS t SET seen_run = $1, row_digest = s.row_digest, row_fallbacks = s.row_fallbacks
            FROM \(winners) AS w JOIN \(stage) AS s ON s.line = w.line
            WHERE w.first_outcome = 'unchanged' AND \(stagedKeyMatch)
            """, [run])
        }
        // After a large load the planner's statistics describe a table that is no longer
        // there (a first load: an empty one), and the statements that follow (the progress
        // refresh, the next file's joins, the weekly metrics) were planned as scans. A week's
        // delta leaves them true (and analysing a table of millions of rows takes a second).
        if report.inserted >= Self.rowsThatNeedStatistics {
            let estimated = try db.scalarString("SELECT reltuples FROM pg_class WHERE oid = $1::regclass", [table]).flatMap(Double.init) ?? -1
            if estimated < 0 || Double(report.inserted) * 10 >= estimated { try db.execute("ANALYZE \(table)") }
        }
    }

    /// Inserted rows after which a table's statistics may need to be gathered again (when they
    /// are a tenth of the rows the statistics counted, or the table was never analysed).
    static let rowsThatNeedStatistics = 10_000

    /// Drops waiting rows whose key a later line of this file stored (a row held on a later
    /// line than every stored one keeps waiting), every row of an earlier run under a key this
    /// file stored, and in snapshot mode every row under a key whose stored row a record
    /// repeated unchanged.
    private func discardWaiting() throws {
        let match = parsedKeys.map { "p.\($0) = l.\($0)" }.joined(separator: " AND ")
        try db.execute("""
            DELETE FROM pending_\(table) AS p USING (
                SELECT \(parsedKeys.map { "s.\($0)" }.joined(separator: ", ")), max(s.line) AS line
                FROM \(outcomes) AS o JOIN \(stage) AS s ON s.line = o.line WHERE o.outcome <> 'conflict'
                GROUP BY \(parsedKeys.map { "s.\($0)" }.joined(separator: ", "))
            ) AS l
            WHERE \(match) AND (p.deferred_run < $1 OR p.line < l.line)
            """, [run])
        // SQLite passes over a snapshot's record that holds the stored row's digest unparsed,
        // and drops the rows waiting under its key whatever their line (``FileLoad``'s
        // `discardWaitingRecognised`): the export holds the key as a loaded row.
        guard snapshot else { return }
        try db.execute("""
            DELETE FROM pending_\(table) AS p USING \(outcomes) AS o JOIN \(stage) AS l ON l.line = o.line
            WHERE o.row_digest = o.stored_digest AND \(match)
            """)
    }

    /// Loads rows that waited from earlier runs and whose referral is now stored. Returns
    /// their reconciliation (read = loaded + still waiting), or nil when none waited.
    func releaseWaiting() throws -> FileReport? {
        guard file != .referrals else { return nil }
        let pending = "pending_" + table
        let waiting = try db.scalarInt("SELECT count(*) FROM \(pending) WHERE deferred_run < $1", [run]) ?? 0
        guard waiting > 0 else { return nil }
        var release = FileReport(file: report.file + " (waiting)")
        release.read = waiting
        // A waiting row names no client: only its referral's tombstone is asked.
        var forgotten: [String] = [], expired: [String] = []
        if !tombstones.isEmpty {
            for row in try db.query("SELECT DISTINCT encode(referral_id, 'hex') FROM \(pending) WHERE deferred_run < $1", [run]) {
                switch try tombstones.erasure(referral: row.string(0), client: nil) {
                case .forgotten?: forgotten.append(row.string(0))
                case .expired?: expired.append(row.string(0))
                case nil: break
                }
            }
        }
        for (list, kind) in [(forgotten, "forgotten"), (expired, "expired")] where !list.isEmpty {
            let count = try db.scalarInt("""
                WITH gone AS (DELETE FROM \(pending) WHERE deferred_run < $1
                              AND encode(referral_id, 'hex') = ANY (string_to_array($2, ',')) RETURNING 1)
                SELECT count(*) FROM gone
                """, [run, list.joined(separator: ",")]) ?? 0
            if kind == "forgotten" { release.forgotten = count } else { release.expired = count }
        }
        let released = "confide_released_" + table
        try db.execute("""
            CREATE TEMP TABLE \(released) ON COMMIT DROP AS
            SELECT p.*, r.referral_key AS referral_key_found FROM \(pending) AS p JOIN referrals AS r ON r.referral_id = p.referral_id
            WHERE p.deferred_run < $1
            """, [run])
        let stillWaiting = waiting - release.forgotten - release.expired - (try db.scalarInt("SELECT count(*) FROM \(released)") ?? 0)
        if stillWaiting > 0 { release.reasons[QuarantineReason.unknownReferral.rawValue] = stillWaiting }
        // Each waiting key is one row: it is inserted, unchanged or updated against the stored
        // row, and stored as SQLite stores a released row (no digest, no fallbacks).
        let storedContent = "(\(content.map { "t.\($0)" }.joined(separator: ", ")))"
        let releasedContent = "(\(content.map { staged($0) }.joined(separator: ", ")))"
        let counts = try db.query("""
            SELECT CASE WHEN t.seen_run IS NULL THEN 'inserted' WHEN \(storedContent) IS NOT DISTINCT FROM \(releasedContent) THEN 'unchanged'
                        ELSE 'updated' END, count(*)
            FROM \(released) AS s LEFT JOIN \(table) AS t ON \(stagedKeyMatch) GROUP BY 1
            """)
        for row in counts {
            switch row.string(0) {
            case "inserted": release.inserted = row.int(1)
            case "updated": release.updated = row.int(1)
            default: release.unchanged = row.int(1)
            }
        }
        try db.execute("""
            INSERT INTO \(table) (\((keys + content + ["seen_run", "row_digest", "row_fallbacks"]).joined(separator: ", ")))
            SELECT \((keys + content).map { staged($0) }.joined(separator: ", ")), $1, NULL, 0 FROM \(released) AS s
            ORDER BY \(keys.map { staged($0) }.joined(separator: ", "))
            ON CONFLICT (\(file == .appointments ? "appointment_id" : keys.joined(separator: ", "))) DO UPDATE SET
            \((content + ["seen_run", "row_digest", "row_fallbacks"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """, [run])
        try db.execute("DELETE FROM \(pending) AS p USING \(released) AS s WHERE \(parsedKeys.map { "p.\($0) = s.\($0)" }.joined(separator: " AND "))")
        return release
    }
}
