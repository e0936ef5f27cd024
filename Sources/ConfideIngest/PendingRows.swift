import ConfideModel
import ConfideStore

/// Appointments and measures whose referral has not arrived yet. Each waits, pseudonymised and
/// allowlisted exactly as it would be stored, in `pending_appointments` or `pending_measures`,
/// and is loaded by the first later ingest in which its referral is stored.
final class PendingRows {
    private let hold: Statement
    private let drop: Statement
    private let select: Statement
    private let loadedKeys: Statement
    private let keyCount: Int
    private let contentCount: Int
    /// True when rows may be waiting under keys that this run loads (so they must be dropped).
    private(set) var mayHoldKeys: Bool

    init(_ db: Database, file: CanonicalFile) throws {
        let (table, storedKeys, storedContent) = RowParser.tableColumns(file)
        // A waiting row's referral has no key yet: the waiting tables hold its pseudonym.
        let waiting = { (column: String) in column == "referral_key" ? "referral_id" : column }
        let keys = storedKeys.map(waiting), content = storedContent.map(waiting)
        let all = keys + content
        let pendingTable = "pending_" + table
        hold = try db.makeStatement("""
            INSERT OR REPLACE INTO \(pendingTable) (\((all + ["deferred_run", "line"]).joined(separator: ", ")))
            VALUES (\((1...(all.count + 2)).map { "?\($0)" }.joined(separator: ", ")))
            """)
        drop = try db.makeStatement("DELETE FROM \(pendingTable) WHERE \(keys.enumerated().map { "\($1) = ?\($0 + 1)" }.joined(separator: " AND "))")
        select = try db.makeStatement("SELECT \(all.joined(separator: ", ")), line FROM \(pendingTable) WHERE deferred_run < ?1 ORDER BY deferred_run, line")
        // A waiting score's key names its referral by pseudonym, the stored score's by key.
        let viaReferral = storedKeys.contains("referral_key")
        let join = zip(storedKeys, keys).map { "t.\($0) = \($0 == "referral_key" ? "r.referral_key" : "p.\($1)")" }.joined(separator: " AND ")
        loadedKeys = try db.makeStatement("""
            SELECT \(keys.map { "p.\($0)" }.joined(separator: ", ")), t.row_digest FROM \(pendingTable) p
            \(viaReferral ? "JOIN referrals r ON r.referral_id = p.referral_id " : "")JOIN \(table) t ON \(join) WHERE t.row_digest IS NOT NULL
            """)
        keyCount = keys.count
        contentCount = content.count
        mayHoldKeys = (try db.scalarInt("SELECT count(*) FROM \(pendingTable)") ?? 0) > 0
    }

    /// Stores `row` to wait for its referral (a later export of the same key replaces it).
    func hold(_ row: CanonicalRow, run: Int, line: Int) throws {
        try hold.execute(values: row.keys + row.content + [.integer(Int64(run)), .integer(Int64(line))])
        mayHoldKeys = true
    }

    /// Forgets a waiting row whose key was just loaded from the export itself.
    func discard(keys: [DatabaseValue]) throws {
        if mayHoldKeys { try drop.execute(values: keys) }
    }

    /// Forgets the waiting rows whose key is stored with a digest for which `isLoaded` is true
    /// (a record recognised by its digest, which stands for the stored row, was in the export).
    func discardLoaded(where isLoaded: (Int64) -> Bool) throws {
        guard mayHoldKeys else { return }
        let keys = try loadedKeys.map([]) { row in
            (keys: (0..<keyCount).map { row.value($0) }, digest: Int64(row.int(keyCount)))
        }
        for (key, digest) in keys where isLoaded(digest) { try drop.execute(values: key) }
    }

    /// The rows that waited from earlier runs: their keys, content and the line they came from.
    func waiting(before run: Int) throws -> [(row: CanonicalRow, line: Int)] {
        try select.map([run]) { r in
            let keys = (0..<keyCount).map { r.value($0) }
            let content = (0..<contentCount).map { r.value(keyCount + $0) }
            let referral: String? = if case .blob(let bytes) = (keyCount == 1 ? content[0] : keys[0]) { HexBlob.text(bytes) } else { nil }
            return (CanonicalRow(keys: keys, content: content, referral: referral), r.int(keyCount + contentCount))
        }
    }
}
