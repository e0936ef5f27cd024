import ConfideCSV
public import ConfideStore
public import Foundation
import ConfideModel

/// Loads a source into the store: every row is pseudonymised and loaded, or quarantined with
/// file, line, column and reason. The whole run is one transaction.
public struct Ingestor {
    let pseudonymizer: Pseudonymizer
    let key: PracticeKey
    let timeZone: TimeZone
    let showsProgress: Bool

    /// Creates an ingestor that pseudonymises under `key` and reads dates in `timeZone`.
    ///
    /// - Parameter showsProgress: draw a progress line on standard error for large CSV files
    ///   (only when standard error is a terminal).
    let fileFinished: (@Sendable (FileReport) -> Void)?

    /// - Parameter fileFinished: called as each file's rows are loaded (before the transaction
    ///   commits), so that a person or journald sees one line per file as it finishes.
    public init(key: PracticeKey, timeZone: TimeZone, showsProgress: Bool = false, fileFinished: (@Sendable (FileReport) -> Void)? = nil) {
        self.pseudonymizer = Pseudonymizer(key: key)
        self.key = key
        self.timeZone = timeZone
        self.showsProgress = showsProgress
        self.fileFinished = fileFinished
    }

    /// Reads every file of `source` into `db` in one `BEGIN IMMEDIATE` transaction.
    ///
    /// Referrals load first; appointments and measures whose referral is not stored wait (and
    /// are quarantined as `unknown_referral` in this run) until a later run stores it.
    ///
    /// - Throws: ``IngestError`` when the mapping is unusable, a file is missing, lacks a
    ///   required column or cannot be decoded (nothing is written); `DatabaseError` when the
    ///   store fails.
    public func ingest(_ source: ExportSource, into db: Database, startedAt: String) throws -> IngestReport {
        let sourceDB = try Self.checked(source)
        let settings = try IngestStoreSettings(db)
        defer { settings.restore(db) }
        return try db.write { db in
            try db.execute("INSERT INTO ingest_runs (started, source, mode) VALUES (?, ?, ?)",
                           [startedAt, source.format.rawValue, source.mode.rawValue])
            let run = try db.scalarInt("SELECT last_insert_rowid()")!
            var report = IngestReport(runID: run, files: [], mode: source.mode.rawValue)
            var presence: SnapshotPresence?
            if source.mode == .snapshot { presence = try SnapshotPresence(in: db) }
            // Snapshot mode: each file's stored digests, the next file's read while this one loads.
            var nextDigests = try source.mode == .snapshot ? KnownDigestsReader(file: CanonicalFile.allCases[0], db: db) : nil
            for (position, file) in CanonicalFile.allCases.enumerated() {
                let table = RowParser.tableColumns(file).table
                let known = try nextDigests?.finish()
                nextDigests = nil
                if source.mode == .snapshot, position + 1 < CanonicalFile.allCases.count {
                    nextDigests = try KnownDigestsReader(file: CanonicalFile.allCases[position + 1], db: db)
                }
                let indexes = try DeferredIndexes(table: table, in: db)
                var (load, fileReport) = try loadFile(file, of: source, sourceDB: sourceDB, into: db, run: run,
                                                      known: known, nextDigests: nextDigests)
                try indexes.rebuild(in: db)
                try load.discardWaitingRecognised()
                if presence != nil {
                    let unclaimed = load.unclaimedDigests()
                    try presence!.record(table: table, unclaimed: unclaimed.digests, undigested: unclaimed.undigested, in: db)
                }
                try record(fileReport, run: run, in: db)
                report.files.append(fileReport)
                fileFinished?(fileReport)
                if file == .referrals, let presence {
                    report.missingFromSnapshot = try count(absentFrom: "referrals", presence, run: run, in: db)
                }
                if let released = try load.releaseWaiting() {
                    try record(released, run: run, in: db)
                    report.waiting.append(released)
                }
            }
            if let presence {
                try reconcileSnapshot(&report, presence: presence, deletes: source.snapshotDeletes, run: run, in: db)
                try presence.drop(in: db)
            }
            try db.execute("UPDATE ingest_runs SET missing_from_snapshot = ? WHERE run_id = ?", [report.missingFromSnapshot, run])
            return report
        }
    }

    /// Snapshot mode, every file: what the export no longer holds.
    ///
    /// - A score's identity is (referral, instrument, date). A referral's scores in a snapshot
    ///   are all its scores: stored scores of a referral the export has scores for, but not
    ///   these, are replaced (a re-dated score replaces its old row instead of doubling).
    /// - Rows of each file the export no longer holds are counted (`missing_from_snapshot`),
    ///   and with `deletes` removed (a referral with its appointments and scores).
    /// - Nothing is replaced or deleted from a file that had quarantined rows: a row the export
    ///   holds but could not be read is not absent, and a broken export must not empty the store.
    func reconcileSnapshot(_ report: inout IngestReport, presence: SnapshotPresence, deletes: Bool, run: Int, in db: Database) throws {
        // The files are reported in the order of `CanonicalFile.allCases`.
        guard report.files.count == CanonicalFile.allCases.count else { return }
        let referrals = 0, appointments = 1, measures = 2
        let quarantined = report.files.map(\.quarantined)
        let clean = { (i: Int) in quarantined[i] == 0 }
        if clean(measures), !presence.allPresent("measures") {
            try db.execute("""
                DELETE FROM measures WHERE \(presence.absent("measures"))
                AND EXISTS (SELECT 1 FROM measures AS other WHERE other.referral_key = measures.referral_key
                            AND NOT \(presence.absent("measures", alias: "other")))
                """, [run])
            report.files[measures].replaced = db.changes
        }
        report.files[referrals].missingFromSnapshot = try count(absentFrom: "referrals", presence, run: run, in: db)
        report.files[appointments].missingFromSnapshot = try count(absentFrom: "appointments", presence, run: run, in: db)
        report.files[measures].missingFromSnapshot = try count(absentFrom: "measures", presence, run: run, in: db)
        guard deletes else { return }
        if clean(measures), !presence.allPresent("measures") {
            try db.execute("DELETE FROM measures WHERE \(presence.absent("measures"))", [run])
            report.files[measures].deleted += db.changes
        }
        if clean(appointments), !presence.allPresent("appointments") {
            try db.execute("DELETE FROM appointments WHERE \(presence.absent("appointments"))", [run])
            report.files[appointments].deleted += db.changes
        }
        if clean(referrals), !presence.allPresent("referrals") {
            let gone = "SELECT referral_key FROM referrals WHERE \(presence.absent("referrals"))"
            try db.execute("DELETE FROM measures WHERE referral_key IN (\(gone))", [run])
            report.files[measures].deleted += db.changes
            try db.execute("DELETE FROM appointments WHERE referral_key IN (\(gone))", [run])
            report.files[appointments].deleted += db.changes
            try db.execute("DELETE FROM referrals WHERE \(presence.absent("referrals"))", [run])
            report.files[referrals].deleted += db.changes
        }
        report.missingFromSnapshot = report.files[referrals].missingFromSnapshot
    }

    /// The rows of `table` the snapshot no longer holds.
    private func count(absentFrom table: String, _ presence: SnapshotPresence, run: Int, in db: Database) throws -> Int {
        guard !presence.allPresent(table) else { return 0 }
        return try db.scalarInt("SELECT count(*) FROM \(table) WHERE \(presence.absent(table))", [run]) ?? 0
    }

    /// Checks `source` before anything is written: its mapping, and each CSV file there to be
    /// read; returns an SQLite source opened (nil for CSV).
    static func checked(_ source: ExportSource) throws -> Database? {
        let problems = source.problems()
        guard problems.isEmpty else { throw IngestError.badMapping(problems) }
        switch source.format {
        case .csv:
            for file in CanonicalFile.allCases where !FileManager.default.isReadableFile(atPath: source.csvPath(of: file)) {
                throw IngestError.missingFile(path: source.csvPath(of: file))
            }
            return nil
        case .sqlite:
            return try openSource(source.path)
        }
    }

    /// Opens an SQLite source read-only (`trusted_schema` off, defensive) and checks it.
    static func openSource(_ path: String) throws -> Database {
        guard FileManager.default.isReadableFile(atPath: path) else { throw IngestError.missingFile(path: path) }
        let label = URL(fileURLWithPath: path).lastPathComponent
        do {
            let db = try Database(path: path, mode: .readOnly)
            try db.quickCheck()
            return db
        } catch let error as DatabaseError {
            throw IngestError.badSource(file: label, detail: "not a usable SQLite database (\(error.message))")
        }
    }

    /// Loads one file. In snapshot mode `known` holds the table's stored digests, and
    /// `nextDigests` reads the next file's between batches (it has finished when this returns).
    private func loadFile(_ file: CanonicalFile, of source: ExportSource, sourceDB: Database?, into db: Database, run: Int,
                          known: KnownDigests?, nextDigests: KnownDigestsReader?) throws -> (FileLoad, FileReport) {
        let export = try ExportFile(file, of: source, sourceDB: sourceDB, pseudonymizer: pseudonymizer, key: key, timeZone: timeZone,
                                    known: known, showsProgress: showsProgress && sourceDB == nil)
        var load = try FileLoad(file: file, report: export.newReport, db: db, run: run, pseudonymizer: pseudonymizer, known: known)
        let outOfVocabulary = try export.run { batch in
            try load.load(batch)
            try nextDigests?.advance(rows: Self.digestsReadPerBatch)
        }
        _ = try nextDigests?.finish()
        let report = load.finish(outOfVocabulary: outOfVocabulary)
        return (load, report)
    }

    /// Stored digests of the next file read after each batch: about as long as the parsing
    /// thread takes to read a batch when most records are recognised.
    static let digestsReadPerBatch = 65_536

    private func record(_ report: FileReport, run: Int, in db: Database) throws {
        try db.execute("""
            INSERT INTO ingest_files (run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns,
                                      expired, forgotten, restricted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [run, report.file, report.read, report.inserted, report.updated, report.unchanged,
                  report.quarantined, report.droppedColumns.map(\.name).joined(separator: ","),
                  report.expired, report.forgotten, report.restricted])
    }
}
