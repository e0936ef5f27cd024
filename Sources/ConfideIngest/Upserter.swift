import ConfideStore

/// What happened to one row offered to the store.
enum UpsertOutcome: Equatable {
    case inserted
    /// The stored row holds this content; `previousDigest` is the digest it was stored with.
    case unchanged(previousDigest: Int64?)
    /// The stored row's content was replaced; `previousDigest` is the digest it was stored with.
    case updated(previousDigest: Int64?)
    /// The same key arrived twice in this run with different content.
    case conflict
}

/// Inserts or updates rows of one table by key, telling new, changed and unchanged rows apart.
/// Each row records the ingest run that last saw it (`seen_run`), the keyed digest of the
/// source record it came from (`row_digest`) and which of its fields fell back to a
/// vocabulary's fallback (`row_fallbacks`).
final class Upserter {
    private let insert: Statement
    private let select: Statement
    private let update: Statement
    private let touch: Statement

    init(_ db: Database, table: String, keys: [String], content: [String]) throws {
        let trailing = ["seen_run", "row_digest", "row_fallbacks"]
        let all = keys + content + trailing
        let placeholders = all.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let keyMatch = keys.enumerated().map { "\($1) = ?\($0 + 1)" }.joined(separator: " AND ")
        insert = try db.makeStatement("INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT DO NOTHING")
        select = try db.makeStatement("SELECT \((content + ["seen_run", "row_digest"]).joined(separator: ", ")) FROM \(table) WHERE \(keyMatch)")
        let sets = (content + trailing).enumerated().map { "\($1) = ?\(keys.count + $0 + 1)" }.joined(separator: ", ")
        update = try db.makeStatement("UPDATE \(table) SET \(sets) WHERE \(keyMatch)")
        let touchSets = trailing.enumerated().map { "\($1) = ?\(keys.count + $0 + 1)" }.joined(separator: ", ")
        touch = try db.makeStatement("UPDATE \(table) SET \(touchSets) WHERE \(keyMatch)")
        self.database = db
    }

    private unowned let database: Database

    /// Offers a row with `keys` and `content` to the table.
    ///
    /// - Parameters:
    ///   - digest: the keyed digest of its source record, stored with it (nil: none).
    ///   - fallbacks: the fields that fell back, stored with it.
    ///   - seenEarlier: whether a record recognised by the stored row's digest (and so not
    ///     parsed) came earlier in this run; a changed row is then a conflict, as when the
    ///     stored row had been seen.
    func upsert(keys: [DatabaseValue], content: [DatabaseValue], digest: Int64?, fallbacks: Int, run: Int,
                seenEarlier: (Int64) -> Bool) throws -> UpsertOutcome {
        let trailing: [DatabaseValue] = [.integer(Int64(run)), digest.map(DatabaseValue.integer) ?? .null, .integer(Int64(fallbacks))]
        try insert.execute(values: keys, content, trailing)
        if database.changes == 1 { return .inserted }
        var stored: [DatabaseValue] = []
        var seenRun = 0
        var storedDigest: Int64?
        try select.forEachRow(keys) { row in
            stored = content.indices.map { row.value($0) }
            seenRun = row.int(content.count)
            storedDigest = row.isNull(content.count + 1) ? nil : Int64(row.int(content.count + 1))
        }
        if stored == content {
            if seenRun != run || (digest != nil && storedDigest != digest) { try touch.execute(values: keys, trailing, []) }
            return .unchanged(previousDigest: storedDigest)
        }
        if seenRun == run || storedDigest.map(seenEarlier) == true { return .conflict }
        try update.execute(values: keys, content, trailing)
        return .updated(previousDigest: storedDigest)
    }
}
