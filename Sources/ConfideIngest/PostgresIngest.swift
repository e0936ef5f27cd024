public import ConfidePostgres
import ConfideModel
import ConfideSchema
import ConfideStore
import Foundation

extension Ingestor {
    /// Reads every file of `source` into the PostgreSQL store `db` in one transaction
    /// (`SERIALIZABLE`), with the outcomes of ``ingest(_:into:startedAt:)`` on SQLite, file for
    /// file and row for row (``PostgresFileLoad``): the same reconciliation, quarantine, waiting
    /// rows and snapshot reconciliation.
    ///
    /// In snapshot mode every record is parsed (SQLite's store passes over records whose digest
    /// it holds); the keys the export held are read from the staging tables, so a row is absent
    /// when this run neither stored nor saw its key.
    ///
    /// - Throws: ``IngestError`` as on SQLite (nothing is written); `PostgresError` when the
    ///   server fails (the transaction is rolled back: nothing of the run is kept).
    public func ingest(_ source: ExportSource, into db: PostgresConnection, startedAt: String) throws -> IngestReport {
        let sourceDB = try Self.checked(source)
        return try db.transaction { db in
            // Compiling a statement's plan (JIT) pays for analytic queries over millions of
            // rows; an ingest's statements are many and short, and lost a third of a second each.
            try db.execute("SET LOCAL jit = off")
            // The merge sorts each file's staged rows by key: in memory, not in files.
            try db.execute("SET LOCAL work_mem = '64MB'")
            let run = try db.scalarInt("INSERT INTO ingest_runs (started, source, mode) VALUES ($1, $2, $3) RETURNING run_id",
                                       [startedAt, source.format.rawValue, source.mode.rawValue])!
            var report = IngestReport(runID: run, files: [], mode: source.mode.rawValue)
            let snapshot = source.mode == .snapshot
            for file in CanonicalFile.allCases {
                let export = try ExportFile(file, of: source, sourceDB: sourceDB, pseudonymizer: pseudonymizer, key: key, timeZone: timeZone,
                                            known: nil, showsProgress: showsProgress && sourceDB == nil)
                let load = try PostgresFileLoad(file: file, report: export.newReport, db: db, run: run, snapshot: snapshot,
                                                pseudonymizer: pseudonymizer)
                let outOfVocabulary = try export.run { batch in try load.load(batch) }
                let fileReport = try load.merge(outOfVocabulary: outOfVocabulary)
                try record(fileReport, run: run, in: db)
                report.files.append(fileReport)
                fileFinished?(fileReport)
                if file == .referrals, snapshot {
                    report.missingFromSnapshot = try countAbsent(from: file, run: run, in: db)
                }
                if let released = try load.releaseWaiting() {
                    try record(released, run: run, in: db)
                    report.waiting.append(released)
                }
            }
            if snapshot { try reconcileSnapshot(&report, deletes: source.snapshotDeletes, run: run, in: db) }
            try db.execute(PostgresSchema.referralProgressRefresh)
            try db.query("UPDATE ingest_runs SET missing_from_snapshot = $1 WHERE run_id = $2", [report.missingFromSnapshot, run])
            return report
        }
    }

    /// ``reconcileSnapshot(_:presence:deletes:run:in:)`` on PostgreSQL: the same rules, a row
    /// absent when this run neither stored nor staged its key (``absent(from:alias:)``).
    private func reconcileSnapshot(_ report: inout IngestReport, deletes: Bool, run: Int, in db: PostgresConnection) throws {
        guard report.files.count == CanonicalFile.allCases.count else { return }
        let referrals = 0, appointments = 1, measures = 2
        let quarantined = report.files.map(\.quarantined)
        let clean = { (i: Int) in quarantined[i] == 0 }
        let deleted = { (sql: String) in try db.scalarInt("WITH gone AS (\(sql) RETURNING 1) SELECT count(*) FROM gone", [run]) ?? 0 }
        if clean(measures) {
            report.files[measures].replaced = try deleted("""
                DELETE FROM measures AS m WHERE \(Self.absent(from: .measures, alias: "m"))
                AND EXISTS (SELECT 1 FROM measures AS other WHERE other.referral_key = m.referral_key
                            AND NOT \(Self.absent(from: .measures, alias: "other")))
                """)
        }
        for (index, file) in CanonicalFile.allCases.enumerated() {
            report.files[index].missingFromSnapshot = try countAbsent(from: file, run: run, in: db)
        }
        if deletes {
            if clean(measures) {
                report.files[measures].deleted += try deleted("DELETE FROM measures AS m WHERE \(Self.absent(from: .measures, alias: "m"))")
            }
            if clean(appointments) {
                report.files[appointments].deleted += try deleted("DELETE FROM appointments AS a WHERE \(Self.absent(from: .appointments, alias: "a"))")
            }
            if clean(referrals) {
                let gone = "SELECT referral_key FROM referrals AS r WHERE \(Self.absent(from: .referrals, alias: "r"))"
                report.files[measures].deleted += try deleted("DELETE FROM measures WHERE referral_key IN (\(gone))")
                report.files[appointments].deleted += try deleted("DELETE FROM appointments WHERE referral_key IN (\(gone))")
                report.files[referrals].deleted += try deleted("DELETE FROM referrals AS r WHERE \(Self.absent(from: .referrals, alias: "r"))")
            }
        }
        report.missingFromSnapshot = report.files[referrals].missingFromSnapshot
    }

    /// The condition (with `$1` the run) that the stored row `alias` of `file`'s table is absent
    /// from the export: this run did not store or touch it, and no staged row with a stored
    /// referral has its key.
    static func absent(from file: CanonicalFile, alias: String) -> String {
        let (_, keys, _) = RowParser.tableColumns(file)
        let match = keys.map { "s.\($0 == "referral_key" ? "referral_key_found" : $0) = \(alias).\($0)" }
        let known = file == .referrals ? [] : ["s.referral_key_found IS NOT NULL"]
        return "(\(alias).seen_run <> $1 AND NOT EXISTS (SELECT 1 FROM \(PostgresFileLoad.stage(of: file)) AS s WHERE \((match + known).joined(separator: " AND "))))"
    }

    private func countAbsent(from file: CanonicalFile, run: Int, in db: PostgresConnection) throws -> Int {
        let table = RowParser.tableColumns(file).table
        return try db.scalarInt("SELECT count(*) FROM \(table) AS t WHERE \(Self.absent(from: file, alias: "t"))", [run]) ?? 0
    }

    private func record(_ report: FileReport, run: Int, in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ingest_files (run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns,
                                      expired, forgotten, restricted)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, [run, report.file, report.read, report.inserted, report.updated, report.unchanged,
                  report.quarantined, report.droppedColumns.map(\.name).joined(separator: ","),
                  report.expired, report.forgotten, report.restricted])
    }
}
