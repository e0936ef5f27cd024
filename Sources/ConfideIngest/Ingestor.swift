public import ConfideStore
public import Foundation
import ConfideModel

/// Loads a source into the store: every row is pseudonymised and loaded, or quarantined with
/// file, line, column and reason. The whole run is one transaction.
public struct Ingestor {
    private let pseudonymizer: Pseudonymizer
    private let timeZone: TimeZone

    /// Creates an ingestor that pseudonymises under `key` and reads dates in `timeZone`.
    public init(key: PracticeKey, timeZone: TimeZone) {
        self.pseudonymizer = Pseudonymizer(key: key)
        self.timeZone = timeZone
    }

    /// Reads every file of `source` into `db` in one `BEGIN IMMEDIATE` transaction.
    ///
    /// - Throws: ``IngestError`` when a file is missing, lacks a required column or cannot be
    ///   decoded (nothing is written); `DatabaseError` when the store fails.
    public func ingest(_ source: CSVSource, into db: Database, startedAt: String) throws -> IngestReport {
        for file in CanonicalFile.allCases where !FileManager.default.isReadableFile(atPath: source.path(of: file)) {
            throw IngestError.missingFile(path: source.path(of: file))
        }
        return try db.write { db in
            try db.execute("INSERT INTO ingest_runs (started, source) VALUES (?, ?)", [startedAt, "csv"])
            let run = try db.scalarInt("SELECT last_insert_rowid()")!
            var reports: [FileReport] = []
            for file in CanonicalFile.allCases {
                var load = try FileLoad(file: file, source: source, db: db, run: run,
                                        dates: DateParser(order: source.dateOrder, timeZone: timeZone),
                                        pseudonymizer: pseudonymizer)
                let report = try load.load()
                try db.execute("""
                    INSERT INTO ingest_files (run_id, file, read, inserted, updated, unchanged, quarantined, dropped_columns)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [run, report.file, report.read, report.inserted, report.updated, report.unchanged,
                          report.quarantined, report.droppedColumns.map(\.name).joined(separator: ",")])
                reports.append(report)
            }
            return IngestReport(runID: run, files: reports)
        }
    }
}
