import ConfideIngest
import ConfideStore
public import Logging

/// What `confide forget` deleted. Counts only: the client's id and pseudonym appear nowhere.
public struct ForgetReport: Sendable, Codable, Equatable {
    /// Referrals of the client deleted.
    public var referrals = 0
    /// Their appointments deleted.
    public var appointments = 0
    /// Their outcome-measure scores deleted.
    public var measures = 0
    /// Rows that waited for one of the client's referrals, deleted.
    public var waiting = 0
    /// True when the client had already been forgotten before this request.
    public var alreadyForgotten = false

    /// Every row deleted.
    public var rows: Int { referrals + appointments + measures + waiting }
}

extension Workspace {
    /// Opens the workspace of `configuration` holding the run lock (exit 75 at once when a run
    /// holds it), so that a purge or an erasure never interleaves with a run, and calls `body`.
    public static func locked<T>(_ configuration: Configuration, logger: Logger, _ body: (Workspace) throws -> T) throws -> T {
        let lock = try RunLock(path: configuration.storePath + ".lock", wait: false)
        defer { withExtendedLifetime(lock) {} }
        return try body(Workspace(configuration: configuration, logger: logger))
    }

    /// ``forget(clientID:)`` recorded in the run log (`confide runs`) with its counts, never
    /// the id.
    public func loggedForget(clientID: String) throws -> ForgetReport {
        let runID = try beginRunLog(command: "forget")
        do {
            let report = try forget(clientID: clientID)
            try endRunLog(runID, period: nil, status: .ok,
                          detail: "forgot one client: deleted \(report.referrals) referrals, \(report.appointments) appointments, \(report.measures) scores, \(report.waiting) waiting rows")
            return report
        } catch let error as ConfideError {
            try? endRunLog(runID, period: nil, status: error.status, detail: error.message)
            throw error
        }
    }

    /// Erases one client on request: deletes every row of the client whose practice-system id
    /// is `clientID` (referrals, appointments, scores, rows waiting for a referral) and records
    /// the tombstones of the client and of its referrals in `forgotten`, so that no later
    /// ingest stores them again; then removes the deleted bytes from the store's files
    /// (``Database/eraseDeletedBytes()``).
    ///
    /// The id is turned into its pseudonym under the practice key and then into its tombstone;
    /// neither the id nor the pseudonym is stored, logged or returned. The deletion is one
    /// transaction: a kill leaves the store before it or after it.
    public func forget(clientID: String) throws -> ForgetReport {
        do {
            let pseudonymizer = Pseudonymizer(key: key)
            let client = pseudonymizer.pseudonym(.client, clientID)
            let clientTombstone = pseudonymizer.tombstone(of: client)
            let report = try db.write { db in
                var report = ForgetReport()
                report.alreadyForgotten = try db.scalarInt("SELECT 1 FROM forgotten WHERE tombstone = ?", [clientTombstone]) != nil
                let referrals = try db.cachedStatement("SELECT referral_id FROM referrals WHERE client_id = ?").map([client]) { $0.string(0) }
                try db.execute("INSERT OR IGNORE INTO forgotten (tombstone, kind) VALUES (?, 'client')", [clientTombstone])
                for referral in referrals {
                    try db.execute("INSERT OR IGNORE INTO forgotten (tombstone, kind) VALUES (?, 'referral')", [pseudonymizer.tombstone(of: referral)])
                }
                let deleted = try StoredReferrals.delete(referrals, in: db)
                report.referrals = deleted.referrals
                report.appointments = deleted.appointments
                report.measures = deleted.measures
                report.waiting = deleted.waiting
                try StoredReferrals.markErasure(in: db)
                return report
            }
            try finishErasure()
            logger.info("forget: deleted \(report.referrals) referrals, \(report.appointments) appointments, \(report.measures) scores and \(report.waiting) waiting rows of one client; its tombstone is kept so re-ingests skip it")
            return report
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        }
    }

    /// True when the latest release of `period` (a week, or a supervision period) was charged
    /// before the latest purge or erasure deleted rows.
    func drawnBeforeErasure(_ period: String) throws -> Bool {
        guard let mark = try db.scalarString("SELECT value FROM meta WHERE key = 'erased_after_ledger_entry'"), let last = Int(mark),
              let entry = try db.scalarInt("SELECT max(entry_id) FROM ledger WHERE period = ?", [period]) else { return false }
        return entry <= last
    }

    /// Removes the bytes of rows a purge or an erasure deleted from the store's files, and
    /// clears the mark that says it is still to do. Called right after the deletion, and when a
    /// workspace opens a store whose last purge or erasure was interrupted before it.
    func finishErasure() throws {
        try db.eraseDeletedBytes()
        try db.execute("DELETE FROM meta WHERE key = 'erasure_pending'")
        try db.eraseDeletedBytes()
    }
}

/// Deletes stored referrals with everything that hangs on them.
enum StoredReferrals {
    /// Rows deleted, per table.
    struct Deleted {
        var referrals = 0, appointments = 0, measures = 0, waiting = 0
    }

    /// Deletes the referrals `pseudonyms`, their appointments and scores, and rows waiting
    /// for them, inside the caller's transaction.
    static func delete(_ pseudonyms: [String], in db: Database) throws -> Deleted {
        var deleted = Deleted()
        for referral in pseudonyms {
            try db.execute("DELETE FROM measures WHERE referral_id = ?", [referral])
            deleted.measures += db.changes
            try db.execute("DELETE FROM appointments WHERE referral_id = ?", [referral])
            deleted.appointments += db.changes
            try db.execute("DELETE FROM pending_measures WHERE referral_id = ?", [referral])
            deleted.waiting += db.changes
            try db.execute("DELETE FROM pending_appointments WHERE referral_id = ?", [referral])
            deleted.waiting += db.changes
            try db.execute("DELETE FROM referrals WHERE referral_id = ?", [referral])
            deleted.referrals += db.changes
        }
        return deleted
    }

    /// Marks, in the deleting transaction, that the deleted bytes are still to be removed from
    /// the store's files (the mark is cleared once they are, ``Workspace/finishErasure()``), and
    /// that every release charged so far was drawn before this deletion
    /// (``Workspace/drawnBeforeErasure(_:)``).
    static func markErasure(in db: Database) throws {
        try db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('erasure_pending', '1')")
        try db.execute("""
            INSERT OR REPLACE INTO meta (key, value)
            VALUES ('erased_after_ledger_entry', CAST((SELECT coalesce(max(entry_id), 0) FROM ledger) AS TEXT))
            """)
    }
}
