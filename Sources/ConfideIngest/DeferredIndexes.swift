import ConfideSchema
import ConfideStore

/// The secondary indexes of a table that is empty when an ingest starts loading it, and the
/// triggers that keep `referral_progress`: dropped before the load and created again, from
/// their stored SQL, after it.
///
/// Building an index once from the loaded table (SQLite sorts the keys) is much cheaper than
/// updating it row by row at random places; so is filling what a trigger keeps
/// (`referral_progress`, kept by the triggers on `appointments`) in one pass instead of once a
/// row. Every step runs inside the ingest's transaction, so a failure or a kill leaves the
/// indexes, the triggers and what they keep as they were. SQLite's sorter keeps at most the
/// page cache's size in memory and spills the rest to temporary files, which hold index keys
/// only: pseudonyms, dates and canonical words, never a source value.
struct DeferredIndexes {
    /// The `CREATE INDEX` and `CREATE TRIGGER` statements to run after the load.
    let statements: [String]

    /// Drops the secondary indexes of `table` that are not unique, and the triggers that keep
    /// `referral_progress`, when it has no rows; otherwise does nothing. Any other trigger stays.
    init(table: String, in db: Database) throws {
        let empty = try db.scalarInt("SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT 1)") == 0
        guard empty else {
            statements = []
            refillsProgress = false
            return
        }
        // Only the triggers whose work the rebuild redoes; any other trigger stays and fires. A
        // unique index stays too: it is what finds a key seen twice in the load (a conflict).
        let objects = try db.makeStatement("""
            SELECT type, name, sql FROM sqlite_schema
            WHERE type IN ('index', 'trigger') AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY type, name
            """).map([table]) { ($0.string(0), $0.string(1), $0.string(2)) }
            .filter { $0.0 == "index" ? !$0.2.hasPrefix("CREATE UNIQUE") : Schema.referralProgressTriggerNames.contains($0.1) }
        for (type, name, _) in objects { try db.execute("DROP \(type == "index" ? "INDEX" : "TRIGGER") \(quoteIdentifier(name))") }
        statements = objects.map(\.2)
        refillsProgress = objects.contains { $0.0 == "trigger" }
    }

    /// Whether the triggers that keep `referral_progress` were dropped, so the rebuild fills it.
    private let refillsProgress: Bool

    /// Creates the dropped indexes and triggers again, and fills what the triggers keep.
    func rebuild(in db: Database) throws {
        for sql in statements { try db.execute(sql) }
        if refillsProgress { try db.execute(Schema.referralProgressRebuild) }
    }
}
