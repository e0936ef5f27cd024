import ConfideStore

/// What happened to one row offered to the store.
enum UpsertOutcome {
    case inserted, updated, unchanged
    /// The same key arrived twice in this run with different content.
    case conflict
}

/// Inserts or updates rows of one table by key, telling new, changed and unchanged rows apart.
/// Each row records the ingest run that last saw it (`seen_run`).
final class Upserter {
    private let insert: Statement
    private let select: Statement
    private let update: Statement
    private let touch: Statement

    init(_ db: Database, table: String, keys: [String], content: [String]) throws {
        let all = keys + content + ["seen_run"]
        let placeholders = all.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let keyMatch = keys.enumerated().map { "\($1) = ?\($0 + 1)" }.joined(separator: " AND ")
        insert = try db.makeStatement("INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT DO NOTHING")
        select = try db.makeStatement("SELECT \((content + ["seen_run"]).joined(separator: ", ")) FROM \(table) WHERE \(keyMatch)")
        let sets = content.enumerated().map { "\($1) = ?\(keys.count + $0 + 1)" }.joined(separator: ", ")
        update = try db.makeStatement("UPDATE \(table) SET \(sets), seen_run = ?\(all.count) WHERE \(keyMatch)")
        touch = try db.makeStatement("UPDATE \(table) SET seen_run = ?\(keys.count + 1) WHERE \(keyMatch)")
        self.database = db
    }

    private unowned let database: Database
    /// The run bound as `seen_run`, kept so that each row does not allocate it.
    private var seenValue: [DatabaseValue] = []

    func upsert(keys: [DatabaseValue], content: [DatabaseValue], run: Int) throws -> UpsertOutcome {
        if seenValue.first != .integer(Int64(run)) { seenValue = [.integer(Int64(run))] }
        let seen = seenValue
        try insert.execute(values: keys, content, seen)
        if database.changes == 1 { return .inserted }
        var stored: [DatabaseValue] = []
        var seenRun = 0
        try select.forEachRow(keys) { row in
            stored = content.indices.map { row.value($0) }
            seenRun = row.int(content.count)
        }
        if stored == content {
            if seenRun != run { try touch.execute(values: keys, seen, []) }
            return .unchanged
        }
        if seenRun == run { return .conflict }
        try update.execute(values: keys, content, seen)
        return .updated
    }
}
