import ConfidePostgres
import ConfideStore
public import Logging

extension Workspace {
    /// Opens the workspace of `configuration` holding the run lock (exit 75 at once when a run
    /// holds it), so that a purge or an erasure never interleaves with a run, and calls `body`.
    public static func locked<T>(_ configuration: Configuration, logger: Logger, _ body: (Workspace) throws -> T) throws -> T {
        let lock = try RunLock(configuration, wait: false)
        defer { withExtendedLifetime(lock) {} }
        return try body(Workspace(configuration: configuration, logger: logger))
    }

    /// True when the latest release of `period` (a week, or a supervision period) was charged
    /// before the latest purge or erasure deleted rows.
    func drawnBeforeErasure(_ period: String) throws -> Bool {
        guard let mark = try store.fetchString("SELECT value FROM meta WHERE key = 'erased_after_ledger_entry'"), let last = Int(mark),
              let entry = try store.fetchInt("SELECT max(entry_id) FROM ledger WHERE period = ?", [period]) else { return false }
        return entry <= last
    }

    /// Removes the bytes of rows a purge or an erasure deleted from the store's files, and
    /// clears the mark that says it is still to do. Called right after the deletion, and when a
    /// workspace opens a store whose last purge or erasure was interrupted before it.
    func finishErasure() throws {
        switch engine {
        case .sqlite(let db):
            try db.eraseDeletedBytes()
            try db.execute("DELETE FROM meta WHERE key = 'erasure_pending'")
            try db.eraseDeletedBytes()
        case .postgres(let db):
            // `VACUUM` (outside any transaction) removes the deleted rows from the tables'
            // pages; what the server keeps beyond them (its WAL, its backups) is its
            // operators' to expire (docs/operations.md, "PostgreSQL store").
            try db.execute("VACUUM " + StoredReferrals.erasedTables.joined(separator: ", "))
            try db.execute("DELETE FROM meta WHERE key = 'erasure_pending'")
        }
    }
}

/// Deletes stored referrals with everything that hangs on them.
enum StoredReferrals {
    /// Rows deleted, per table.
    struct Deleted {
        var referrals = 0, appointments = 0, measures = 0, waiting = 0
    }

    /// Deletes the referrals `pseudonyms` with everything that hangs on them (``delete(_:in:)``)
    /// and marks the erasure (``markErasure(in:)``), inside the caller's transaction; adds what
    /// was deleted to `report`.
    static func erase(_ pseudonyms: [String], countingInto report: inout some ErasureCounts, in db: any SQLConnection) throws {
        let deleted = try delete(pseudonyms, in: db)
        report.referrals = deleted.referrals
        report.appointments = deleted.appointments
        report.measures = deleted.measures
        report.waiting = deleted.waiting
        try markErasure(in: db)
    }

    /// Deletes the referrals `pseudonyms`, their appointments and scores, and rows waiting
    /// for them, inside the caller's transaction.
    static func delete(_ pseudonyms: [String], in db: any SQLConnection) throws -> Deleted {
        var deleted = Deleted()
        // Rows counted as the statements return them (`RETURNING`: SQLite 3.35 and PostgreSQL).
        func count(_ sql: String, _ referral: DatabaseValue) throws -> Int { try db.fetch(sql + " RETURNING 1", [referral]) { _ in 1 }.count }
        for pseudonym in pseudonyms {
            let referral = DatabaseValue.blob(hex: pseudonym)
            let key = "(SELECT referral_key FROM referrals WHERE referral_id = ?)"
            deleted.measures += try count("DELETE FROM measures WHERE referral_key = \(key)", referral)
            deleted.appointments += try count("DELETE FROM appointments WHERE referral_key = \(key)", referral)
            deleted.waiting += try count("DELETE FROM pending_measures WHERE referral_id = ?", referral)
            deleted.waiting += try count("DELETE FROM pending_appointments WHERE referral_id = ?", referral)
            deleted.referrals += try count("DELETE FROM referrals WHERE referral_id = ?", referral)
        }
        return deleted
    }

    /// Marks, in the deleting transaction, that the deleted bytes are still to be removed from
    /// the store's files (the mark is cleared once they are, ``Workspace/finishErasure()``), and
    /// that every release charged so far was drawn before this deletion
    /// (``Workspace/drawnBeforeErasure(_:)``).
    static func markErasure(in db: any SQLConnection) throws {
        try db.execute("INSERT INTO meta (key, value) VALUES ('erasure_pending', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value", [])
        try db.execute("""
            INSERT INTO meta (key, value)
            VALUES ('erased_after_ledger_entry', CAST((SELECT coalesce(max(entry_id), 0) FROM ledger) AS TEXT))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [])
    }

    /// The tables whose deleted rows an erasure removes.
    static let erasedTables = ["measures", "appointments", "pending_measures", "pending_appointments", "referrals"]
}

/// A report of the rows an erasure deleted, per table (``ForgetReport``, ``PurgeReport``).
protocol ErasureCounts {
    var referrals: Int { get set }
    var appointments: Int { get set }
    var measures: Int { get set }
    var waiting: Int { get set }
}

extension ForgetReport: ErasureCounts {}
extension PurgeReport: ErasureCounts {}
