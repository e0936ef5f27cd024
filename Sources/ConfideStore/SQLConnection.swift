/// What the pipeline's bookkeeping (the budget ledger, the stored releases) needs of a store,
/// whichever engine holds it: SQL with `?` placeholders, rows read by column index, and write
/// transactions as closures. ``Database`` (SQLite) provides it, and so does the PostgreSQL
/// connection (`ConfidePostgres`), so that a release is stored and charged in one transaction
/// on either (issue 18).
///
/// The SQL is the subset both engines read alike: plain `SELECT`, `INSERT`, `UPDATE` and
/// `DELETE` on the store's own tables, `?` placeholders (never inside a quoted literal).
public protocol SQLConnection: AnyObject {
    /// Runs one statement with arguments.
    func execute(_ sql: String, _ arguments: [DatabaseValueConvertible]) throws
    /// Runs one query and maps each row.
    func fetch<T>(_ sql: String, _ arguments: [DatabaseValueConvertible], _ transform: (any SQLRow) throws -> T) throws -> [T]
    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` in a read transaction: one snapshot of the store, no lock against writers.
    func readTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// The engine's SQL, where the two differ.
    var dialect: SQLDialect { get }
}

/// Where SQLite's SQL and PostgreSQL's differ, for the few statements that need it.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The lowercase hex text of a BLOB (`bytea`) column.
    public func hex(_ column: String) -> String {
        switch self {
        case .sqlite: "lower(hex(\(column)))"
        case .postgres: "encode(\(column), 'hex')"
        }
    }

    /// True when the text `haystack` holds the text `needle` (SQL expressions).
    public func contains(_ haystack: String, _ needle: String) -> String {
        switch self {
        case .sqlite: "instr(\(haystack), \(needle)) > 0"
        case .postgres: "strpos(\(haystack), \(needle)) > 0"
        }
    }

    /// The largest of its arguments (NULL among them: SQLite's NULL, PostgreSQL's the others';
    /// callers `coalesce` them).
    public var greatest: String {
        switch self {
        case .sqlite: "max"
        case .postgres: "greatest"
        }
    }
}

/// One row of a ``SQLConnection/fetch(_:_:_:)``, read by 0-based column index.
public protocol SQLRow {
    /// The column as text ("" for NULL).
    func string(_ index: Int) -> String
    /// The column as text, or nil for NULL.
    func optionalString(_ index: Int) -> String?
    /// The column as an integer (0 for NULL).
    func int(_ index: Int) -> Int
    /// The column as an integer, or nil for NULL.
    func optionalInt(_ index: Int) -> Int?
    /// The column as a double (0 for NULL).
    func double(_ index: Int) -> Double
}

extension Row: SQLRow {}

extension Database: SQLConnection {
    /// Runs `sql` (a cached statement) and maps each row.
    public func fetch<T>(_ sql: String, _ arguments: [DatabaseValueConvertible], _ transform: (any SQLRow) throws -> T) throws -> [T] {
        try cachedStatement(sql).map(arguments) { try transform($0) }
    }

    /// ``write(_:)``: `BEGIN IMMEDIATE … COMMIT`.
    public func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try write { try body($0) }
    }

    /// ``read(_:)``: a deferred transaction.
    public func readTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try read { try body($0) }
    }

    /// SQLite's.
    public var dialect: SQLDialect { .sqlite }
}

extension SQLConnection {
    /// The first column of the first row of `sql` as an integer (nil when there is no row or
    /// it is NULL).
    public func fetchInt(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws -> Int? {
        try fetch(sql, arguments) { $0.optionalInt(0) }.first ?? nil
    }

    /// The first column of the first row of `sql` as text (nil when there is no row or it is
    /// NULL).
    public func fetchString(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws -> String? {
        try fetch(sql, arguments) { $0.optionalString(0) }.first ?? nil
    }
}
