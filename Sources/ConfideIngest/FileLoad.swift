import ConfideModel
import ConfideStore

/// The load of one canonical file within an ingest run: each record offered is validated by
/// the one ``RowParser``, then stored, held for its referral, or quarantined with line, column
/// and reason, whatever the source it came from.
struct FileLoad {
    let file: CanonicalFile
    let runID: Int
    var parser: RowParser
    var report: FileReport
    private let upserter: Upserter
    private let quarantine: Statement
    private let referralExists: Statement
    private let pending: PendingRows?

    init(file: CanonicalFile, label: String, db: Database, run: Int, parser: RowParser,
         droppedColumns: [DroppedColumn], encoding: ResolvedEncoding?) throws {
        self.file = file
        self.runID = run
        self.parser = parser
        var report = FileReport(file: label)
        report.droppedColumns = droppedColumns
        report.encoding = encoding?.rawValue
        self.report = report
        let (table, keys, content) = RowParser.tableColumns(file)
        upserter = try Upserter(db, table: table, keys: keys, content: content)
        quarantine = try db.cachedStatement("INSERT INTO quarantine (run_id, file, line, column_name, reason) VALUES (?, ?, ?, ?, ?)")
        referralExists = try db.cachedStatement("SELECT 1 FROM referrals WHERE referral_id = ?")
        pending = file == .referrals ? nil : try PendingRows(db, file: file)
    }

    /// Validates and stores the current record, or quarantines it; `shape` is a whole-record
    /// problem the source already found (ragged row, unterminated quote, …).
    mutating func offer(line: Int, shape: RowRejection?) throws {
        report.read += 1
        do {
            if let shape { throw shape }
            let row = try parser.parse()
            if let referral = row.referral, try !referralIsStored(referral) {
                try pending?.hold(row, run: runID, line: line)
                throw RowRejection(column: "referral_id", reason: .unknownReferral)
            }
            try store(row, into: &report, line: line)
            try pending?.discard(keys: row.keys)
        } catch let rejection as RowRejection {
            try reject(rejection, line: line, in: &report, file: report.file)
        }
    }

    /// The file's reconciliation.
    mutating func finish() -> FileReport {
        report.outOfVocabulary = parser.fields.outOfVocabulary
        return report
    }

    /// Loads rows that waited from earlier runs and whose referral is now stored. Returns
    /// their reconciliation (read = loaded + still waiting), or nil when none waited.
    func releaseWaiting() throws -> FileReport? {
        guard let pending else { return nil }
        let waiting = try pending.waiting(before: runID)
        guard !waiting.isEmpty else { return nil }
        var release = FileReport(file: report.file + " (waiting)")
        for (row, line) in waiting {
            release.read += 1
            guard let referral = row.referral, try referralIsStored(referral) else {
                release.reasons[QuarantineReason.unknownReferral.rawValue, default: 0] += 1
                continue
            }
            do {
                try store(row, into: &release, line: line)
            } catch let rejection as RowRejection {
                try reject(rejection, line: line, in: &release, file: report.file)
            }
            try pending.discard(keys: row.keys)
        }
        return release
    }

    private func referralIsStored(_ pseudonym: String) throws -> Bool {
        var found = false
        try referralExists.forEachRow([pseudonym]) { _ in found = true }
        return found
    }

    private func store(_ row: CanonicalRow, into report: inout FileReport, line: Int) throws {
        switch try upserter.upsert(keys: row.keys, content: row.content, run: runID) {
        case .inserted: report.inserted += 1
        case .updated: report.updated += 1
        case .unchanged: report.unchanged += 1
        case .conflict: throw RowRejection(column: file == .appointments ? "appointment_id" : "referral_id", reason: .duplicateConflict)
        }
    }

    private func reject(_ rejection: RowRejection, line: Int, in report: inout FileReport, file: String) throws {
        report.reasons[rejection.reason.rawValue, default: 0] += 1
        try quarantine.execute([runID, file, line, rejection.column, rejection.reason.rawValue])
    }
}
