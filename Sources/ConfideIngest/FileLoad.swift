import ConfideModel
import ConfideStore

/// The store side of the load of one canonical file within an ingest run: each batch of
/// validated records is stored, held for its referral, or quarantined with line, column and
/// reason, whatever the source it came from.
///
/// Within a batch, rows reach the store sorted by key (rows with equal keys keep their file
/// order), so B-tree inserts move forward through the table instead of jumping; quarantine
/// records are written in line order.
struct FileLoad {
    let file: CanonicalFile
    let runID: Int
    var report: FileReport
    private let upserter: Upserter
    private let quarantine: Statement
    private let referralKey: Statement
    private let pending: PendingRows?
    private var tombstones: Tombstones
    /// The digests the table held when a snapshot ingest started (nil in delta mode).
    let known: KnownDigests?
    /// Which records recognised by their digest claimed each slot of ``known``.
    private let claims: DigestClaims

    /// A load of `file` whose reconciliation starts as `report` (``ExportFile/newReport``).
    init(file: CanonicalFile, report: FileReport, db: Database, run: Int, pseudonymizer: Pseudonymizer, known: KnownDigests?) throws {
        self.known = known
        self.claims = DigestClaims(slots: known?.slotCount ?? 0)
        self.file = file
        self.runID = run
        self.report = report
        let (table, keys, content) = RowParser.tableColumns(file)
        upserter = try Upserter(db, table: table, keys: keys, content: content)
        quarantine = try db.cachedStatement("INSERT INTO quarantine (run_id, file, line, column_name, reason) VALUES (?, ?, ?, ?, ?)")
        referralKey = try db.cachedStatement("SELECT referral_key FROM referrals WHERE referral_id = ?")
        pending = file == .referrals ? nil : try PendingRows(db, file: file)
        tombstones = try Tombstones(db, pseudonymizer: pseudonymizer)
    }

    /// Stores, holds or quarantines every record of `batch`.
    ///
    /// Whether a row's referral is stored, and its key, is decided first, in file order
    /// (consecutive rows of one referral ask once); this file's rows never add referrals, so
    /// the answer does not depend on the order rows are then written in. Rows are written in
    /// the order of their stored key (a score's referral key, an appointment's pseudonym).
    mutating func load(_ batch: RecordBatch) throws {
        report.read += batch.count
        var rejections = batch.rejected
        if let known { recognise(batch.recognised, known: known, rejections: &rejections) }
        let rows = batch.rows
        var keyed = rows
        var referralStored = [Bool](repeating: true, count: rows.count)
        var lastReferral: String?
        var lastKey: Int64?
        for index in rows.indices {
            guard let referral = rows[index].referral else { continue }
            if referral != lastReferral {
                lastKey = try storedKey(of: referral)
                lastReferral = referral
            }
            if let lastKey { keyed[index] = rows[index].keyed(by: lastKey) } else { referralStored[index] = false }
        }
        // Erased and expired rows: a stored referral has no tombstone (purge and forget delete
        // the referrals they mark), so only referral rows and rows waiting for one are asked.
        var erasures = [Erasure?](repeating: nil, count: rows.count)
        if !tombstones.isEmpty {
            for index in rows.indices where file == .referrals || !referralStored[index] {
                erasures[index] = try tombstones.erasure(of: rows[index], in: file)
            }
        }
        var order = rows.indices.map { (key: keyed[$0].order, index: $0) }
        order.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        for (_, index) in order {
            let line = batch.rowLines[index]
            switch erasures[index] {
            case .forgotten?: report.forgotten += 1; continue
            case .expired?: report.expired += 1; continue
            case nil: break
            }
            guard referralStored[index] else {
                try pending?.hold(rows[index], run: runID, line: line)
                rejections.append((line, RowRejection(column: "referral_id", reason: .unknownReferral)))
                continue
            }
            do {
                try store(keyed[index], line: line, into: &report, rejections: &rejections)
                try pending?.discard(keys: rows[index].keys)
            } catch let rejection as RowRejection {
                rejections.append((line, rejection))
            }
        }
        claims.endBatch()
        rejections.sort { $0.line < $1.line }
        for (line, rejection) in rejections {
            try reject(rejection, line: line, in: &report, file: report.file)
        }
    }

    /// The file's reconciliation, with the counts of values outside a vocabulary.
    mutating func finish(outOfVocabulary: [String: Int]) -> FileReport {
        report.outOfVocabulary = outOfVocabulary
        return report
    }

    /// Loads rows that waited from earlier runs and whose referral is now stored. Returns
    /// their reconciliation (read = loaded + still waiting), or nil when none waited.
    mutating func releaseWaiting() throws -> FileReport? {
        guard let pending else { return nil }
        let waiting = try pending.waiting(before: runID)
        guard !waiting.isEmpty else { return nil }
        var release = FileReport(file: report.file + " (waiting)")
        for (row, line) in waiting {
            release.read += 1
            switch try tombstones.erasure(of: row, in: file) {
            case .forgotten?: release.forgotten += 1; try pending.discard(keys: row.keys); continue
            case .expired?: release.expired += 1; try pending.discard(keys: row.keys); continue
            case nil: break
            }
            guard let referral = row.referral, let key = try storedKey(of: referral) else {
                release.reasons[QuarantineReason.unknownReferral.rawValue, default: 0] += 1
                continue
            }
            do {
                var none: [(line: Int, rejection: RowRejection)] = []
                try store(row.keyed(by: key), line: line, into: &release, rejections: &none)
            } catch let rejection as RowRejection {
                try reject(rejection, line: line, in: &release, file: report.file)
            }
            try pending.discard(keys: row.keys)
        }
        return release
    }

    /// The key of the stored referral `pseudonym`, or nil when it is not stored.
    private func storedKey(of pseudonym: String) throws -> Int64? {
        var found: Int64?
        try referralKey.forEachRow([DatabaseValue.blob(hex: pseudonym)]) { found = Int64($0.int(0)) }
        return found
    }

    /// The rejection of the second of two rows with one key and different content.
    private var conflict: RowRejection {
        RowRejection(column: file == .appointments ? "appointment_id" : "referral_id", reason: .duplicateConflict)
    }

    /// Counts the records recognised by their digest as unchanged, in file order, without
    /// parsing or storing them. A record whose stored row was already replaced in this run by
    /// a different row with its key is the second of two different rows: a conflict.
    private mutating func recognise(_ recognised: [(slot: Int, line: Int)], known: KnownDigests,
                                    rejections: inout [(line: Int, rejection: RowRejection)]) {
        claims.beginBatch(recognised)
        for (slot, line) in recognised {
            if claims.wasReplaced(slot) {
                rejections.append((line, conflict))
                continue
            }
            claims.claim(slot)
            report.unchanged += 1
            if known.isRestricted(slot) { report.restricted += 1 }
        }
    }

    /// Upserts `row` (from `line`) and counts the outcome; a changed row that makes later
    /// records of this batch recognised by the replaced digest conflicts adds them to `rejections`.
    private func store(_ row: CanonicalRow, line: Int, into report: inout FileReport,
                       rejections: inout [(line: Int, rejection: RowRejection)]) throws {
        let known = self.known
        let claims = self.claims
        let outcome = try upserter.upsert(keys: row.keys, content: row.content, digest: row.digest, fallbacks: row.fallbacks,
                                          run: runID) { stored in
            guard let known, let slot = known.slot(of: stored) else { return false }
            return claims.isClaimed(slot, before: line)
        }
        if outcome != .conflict, row.isRestricted { report.restricted += 1 }
        switch outcome {
        case .inserted: report.inserted += 1
        case .updated(let previous):
            report.updated += 1
            // Records recognised by the replaced row's digest later in the file (in this batch)
            // are now the second row with this key: conflicts, no longer unchanged.
            if let known, let previous, let slot = known.slot(of: previous) {
                for later in claims.replace(slot) {
                    report.unchanged -= 1
                    if known.isRestricted(slot) { report.restricted -= 1 }
                    rejections.append((later, conflict))
                }
            }
        case .unchanged(let previous):
            report.unchanged += 1
            if let known, let previous, let slot = known.slot(of: previous) { claims.see(slot) }
        case .conflict: throw conflict
        }
    }

    /// The digests of ``known`` whose rows no record of this file claimed and no parsed row
    /// updated or compared: the stored rows the export may no longer hold, and whether some
    /// stored rows have no digest (those are absent unless this run saw them).
    func unclaimedDigests() -> (digests: [Int64], undigested: Bool) {
        guard let known else { return ([], true) }
        var digests: [Int64] = []
        for slot in 0..<known.slotCount where known.digest(at: slot) != 0 && !claims.isPresent(slot) {
            digests.append(known.digest(at: slot))
        }
        return (digests, known.undigestedRows > 0)
    }

    /// Drops rows waiting for a referral under a key whose stored row a record recognised by
    /// its digest: the export holds that key as a loaded row, as when it is stored.
    func discardWaitingRecognised() throws {
        guard let known, let pending else { return }
        let claims = self.claims
        try pending.discardLoaded { digest in known.slot(of: digest).map { claims.isClaimed($0) } ?? false }
    }

    private func reject(_ rejection: RowRejection, line: Int, in report: inout FileReport, file: String) throws {
        report.reasons[rejection.reason.rawValue, default: 0] += 1
        try quarantine.execute([runID, file, line, rejection.column, rejection.reason.rawValue])
    }
}
