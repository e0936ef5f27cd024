import ConfideStore

/// Connection settings held for the length of one ingest, then put back.
///
/// - The page cache is raised to ``cacheKiB`` (a fixed bound, whatever the size of the export)
///   so that the B-tree pages an ingest revisits stay in memory.
/// - SQLite's per-row foreign-key check is off: the loader itself stores an appointment or a
///   measure only after finding its referral in `referrals` (asked once per run of rows of
///   one referral, see ``FileLoad``), which is the same rule, and holds the row otherwise.
///   Checked per row, it cost a random B-tree search in `referrals` for every child row.
/// - A first load, into a store whose `referrals`, `appointments` and `measures` tables are
///   empty, uses SQLite's rollback journal instead of WAL when this is the only connection to
///   the store. On a store that was empty, the journal holds only the few pages that existed
///   before (new pages are never journaled), so each page is written once instead of twice
///   (WAL, then checkpoint). The guarantee is the same: until `COMMIT` the journal restores the
///   store, and a kill leaves a hot journal that SQLite rolls back when the store is next
///   opened. WAL is restored when the ingest ends.
struct IngestStoreSettings {
    /// The page cache during an ingest, in KiB.
    static let cacheKiB = 64 << 10

    private let previousCacheSize: Int
    private let foreignKeysWereOn: Bool
    private let switchedJournal: Bool

    /// Applies the settings to `db`, outside any transaction.
    init(_ db: Database) throws {
        previousCacheSize = try db.scalarInt("PRAGMA cache_size") ?? -2000
        try db.execute("PRAGMA cache_size = -\(Self.cacheKiB)")
        foreignKeysWereOn = try db.scalarInt("PRAGMA foreign_keys") == 1
        try db.execute("PRAGMA foreign_keys = OFF")
        let firstLoad = try ["referrals", "appointments", "measures"].allSatisfy { table in
            try db.scalarInt("SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT 1)") == 0
        }
        // Leaving WAL needs the only connection; when another is open the mode stays WAL.
        switchedJournal = firstLoad && (try? db.scalarString("PRAGMA journal_mode = DELETE")) == "delete"
    }

    /// Puts back the page cache, the foreign-key check and the WAL journal.
    func restore(_ db: Database) {
        if switchedJournal { _ = try? db.scalarString("PRAGMA journal_mode = WAL") }
        try? db.execute("PRAGMA cache_size = \(previousCacheSize)")
        if foreignKeysWereOn { try? db.execute("PRAGMA foreign_keys = ON") }
    }
}
