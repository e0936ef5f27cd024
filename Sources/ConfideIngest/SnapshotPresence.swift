import ConfideStore

/// Which stored rows a snapshot ingest found in the export.
///
/// A row is present when this run stored, changed or compared it (`seen_run` is the run), or
/// when a record recognised by the row's digest was read (such rows are not touched, so that an
/// unchanged export writes nothing). The digests the table held that no record claimed are
/// kept in the temporary table `snapshot_unclaimed` (keyed digests only, in SQLite's temporary
/// storage, dropped when the ingest ends); a row is absent when this run did not see it and its
/// digest is unclaimed or missing.
struct SnapshotPresence {
    /// Tables in which some stored row may be absent.
    private var mayHaveAbsentRows: Set<String> = []

    /// Creates the empty temporary table in `db`.
    init(in db: Database) throws {
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS snapshot_unclaimed (
                tbl TEXT NOT NULL, digest INTEGER NOT NULL, PRIMARY KEY (tbl, digest)
            ) WITHOUT ROWID
            """)
        try db.execute("DELETE FROM temp.snapshot_unclaimed")
    }

    /// Records the unclaimed digests of `table` after its file was loaded.
    mutating func record(table: String, unclaimed: [Int64], undigested: Bool, in db: Database) throws {
        if undigested || !unclaimed.isEmpty { mayHaveAbsentRows.insert(table) }
        let insert = try db.cachedStatement("INSERT OR IGNORE INTO temp.snapshot_unclaimed (tbl, digest) VALUES (?, ?)")
        for digest in unclaimed { try insert.execute([table, digest]) }
    }

    /// True when no stored row of `table` can be absent: every row was seen or claimed.
    func allPresent(_ table: String) -> Bool { !mayHaveAbsentRows.contains(table) }

    /// The SQL condition (on a row of `table`, named `alias` in the query, with `?1` bound to
    /// the run) that the row is absent from the export.
    func absent(_ table: String, alias: String? = nil) -> String {
        guard !allPresent(table) else { return "0" }
        let row = (alias ?? table) + "."
        return "(\(row)seen_run <> ?1 AND (\(row)row_digest IS NULL OR \(row)row_digest IN (SELECT digest FROM temp.snapshot_unclaimed WHERE tbl = '\(table)')))"
    }

    /// Drops the temporary table.
    func drop(in db: Database) throws {
        try db.execute("DROP TABLE IF EXISTS temp.snapshot_unclaimed")
    }
}
