import CSQLite

/// One connection to an SQLite database file.
///
/// A connection is not `Sendable`: open it, use it and close it from one task. Writes go
/// through ``write(_:)``, which wraps the closure in `BEGIN IMMEDIATE … COMMIT` and rolls back
/// when it throws, so a failure or a kill leaves the last committed state.
public final class Database {
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// The path the connection was opened on.
    public let path: String
    /// SQL that ``write(_:)`` runs at the end of each of its transactions, just before `COMMIT`:
    /// work a schema does once a transaction instead of once a row (a migrator sets it, see
    /// ``Migrator/finish``). Nil runs nothing.
    public var beforeCommit: String?

    /// How a connection opens its file.
    public enum Mode: Sendable {
        /// Read and write, creating the file when missing; WAL journal, foreign keys on.
        case readWrite
        /// Read only; the file must exist. Used for source databases.
        case readOnly
    }

    /// Opens (or creates) the database at `path`.
    ///
    /// - Parameters:
    ///   - path: the file; `:memory:` for a private in-memory database.
    ///   - mode: read-write (the store) or read-only (a source).
    ///   - busyTimeoutMilliseconds: how long a statement waits for another writer.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000) throws {
        var db: OpaquePointer?
        let flags: Int32 = switch mode {
        case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        case .readOnly: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        }
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(resultCode: code, message: message)
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        _ = confide_db_config_defensive(db, 1)
        _ = confide_db_config_trusted_schema(db, 0)
        _ = confide_db_config_dqs(db, 0)
        if mode == .readWrite {
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = FULL")
            try execute("PRAGMA foreign_keys = ON")
            try execute("PRAGMA secure_delete = ON")
        } else {
            try execute("PRAGMA query_only = ON")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(code: Int32, sql: String? = nil) -> DatabaseError {
        DatabaseError(resultCode: sqlite3_extended_errcode(handle) != 0 ? sqlite3_extended_errcode(handle) : code,
                      message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more SQL statements that take no arguments.
    public func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code: code, sql: sql) }
    }

    /// Runs one statement with arguments.
    public func execute(_ sql: String, _ arguments: [DatabaseValueConvertible]) throws {
        try cachedStatement(sql).execute(arguments)
    }

    /// A prepared statement for `sql`, reused across calls on this connection.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// A new prepared statement for `sql`.
    public func makeStatement(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// The first column of the first row, as an integer, or nil when there is no row.
    public func scalarInt(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws -> Int? {
        var result: Int?
        try cachedStatement(sql).forEachRow(arguments) { row in
            if result == nil { result = row.optionalInt(0) }
        }
        return result
    }

    /// The first column of the first row, as text, or nil when there is no row.
    public func scalarString(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws -> String? {
        var result: String?
        var seen = false
        try cachedStatement(sql).forEachRow(arguments) { row in
            if !seen { result = row.optionalString(0); seen = true }
        }
        return result
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns (after
    /// ``beforeCommit``, in the same transaction), rolled back when it or ``beforeCommit`` throws.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            if let beforeCommit { try execute(beforeCommit) }
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a deferred read transaction, so that every query sees one snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body(self)
    }

    /// Runs `body` in a transaction that holds the write lock (`BEGIN IMMEDIATE`) and writes
    /// nothing (it is rolled back, ``beforeCommit`` is not run): while it runs no other
    /// connection can commit, so a read transaction that another connection to the same file
    /// begins inside it sees the same snapshot as this one.
    ///
    /// - Throws: `DatabaseError` when the lock cannot be had (a read-only connection, an
    ///   in-memory database shared with no one, another writer past the busy timeout) or
    ///   `body` throws.
    public func readHoldingWriteLock<T>(_ body: (Database) throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        defer { try? execute("ROLLBACK") }
        return try body(self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Removes the bytes of deleted rows from the database file and its WAL, outside any
    /// transaction: checkpoints the WAL into the file and truncates it to zero bytes, rebuilds
    /// the file (`VACUUM`: no free page or free space keeps old content; `secure_delete` has
    /// already zeroed the deleted cells), and truncates the WAL again.
    ///
    /// - Throws: `DatabaseError` with `SQLITE_BUSY` when another connection keeps the WAL from
    ///   being checkpointed to its end (its old frames would stay in the file).
    public func eraseDeletedBytes() throws {
        try checkpointAndTruncate()
        try execute("VACUUM")
        try checkpointAndTruncate()
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`, throwing when it could not complete.
    private func checkpointAndTruncate() throws {
        var busy = 0
        try cachedStatement("PRAGMA wal_checkpoint(TRUNCATE)").forEachRow([]) { row in busy = row.int(0) }
        guard busy == 0 else {
            throw DatabaseError(resultCode: SQLITE_BUSY, message: "another connection is reading the store; the WAL could not be checkpointed and truncated")
        }
    }

    /// Runs `PRAGMA quick_check` and throws when the file is damaged.
    public func quickCheck() throws {
        let result = try scalarString("PRAGMA quick_check")
        guard result == "ok" else {
            throw DatabaseError(resultCode: SQLITE_CORRUPT, message: "quick_check failed: the database file is damaged")
        }
    }
}
