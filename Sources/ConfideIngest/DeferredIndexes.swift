import ConfideStore

/// The secondary indexes of a table that is empty when an ingest starts loading it: dropped
/// before the load and created again, from their stored SQL, after it.
///
/// Building an index once from the loaded table (SQLite sorts the keys) is much cheaper than
/// updating it row by row at random places. Both steps run inside the ingest's transaction,
/// so a failure or a kill leaves the indexes as they were. SQLite's sorter keeps at most the
/// page cache's size in memory and spills the rest to temporary files, which hold index keys
/// only: pseudonyms, dates and canonical words, never a source value.
struct DeferredIndexes {
    /// The `CREATE INDEX` statements to run after the load.
    let statements: [String]

    /// Drops the secondary indexes of `table` when it has no rows; otherwise does nothing.
    init(table: String, in db: Database) throws {
        let empty = try db.scalarInt("SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT 1)") == 0
        guard empty else {
            statements = []
            return
        }
        let indexes = try db.makeStatement("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name")
            .map([table]) { ($0.string(0), $0.string(1)) }
        for (name, _) in indexes { try db.execute("DROP INDEX \(quoteIdentifier(name))") }
        statements = indexes.map(\.1)
    }

    /// Creates the dropped indexes again.
    func rebuild(in db: Database) throws {
        for sql in statements { try db.execute(sql) }
    }
}
