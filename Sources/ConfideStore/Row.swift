import CSQLite

/// The current row of a statement being stepped. Read columns by 0-based index.
public struct Row {
    let statement: Statement

    /// The number of columns.
    public var count: Int { Int(sqlite3_column_count(statement.handle)) }

    /// True when the column is NULL.
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement.handle, Int32(index)) == SQLITE_NULL
    }

    /// The column as an integer (0 for NULL).
    public func int(_ index: Int) -> Int {
        Int(sqlite3_column_int64(statement.handle, Int32(index)))
    }

    /// The column as an integer, or nil for NULL.
    public func optionalInt(_ index: Int) -> Int? {
        isNull(index) ? nil : int(index)
    }

    /// The column as a double (0 for NULL).
    public func double(_ index: Int) -> Double {
        sqlite3_column_double(statement.handle, Int32(index))
    }

    /// The column as text ("" for NULL).
    public func string(_ index: Int) -> String {
        guard let pointer = sqlite3_column_text(statement.handle, Int32(index)) else { return "" }
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// Calls `body` with the column's text as UTF-8 bytes (empty for NULL), without copying
    /// them into a `String`. The bytes are valid only inside `body`.
    public func withUTF8<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        guard let pointer = sqlite3_column_text(statement.handle, Int32(index)) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        return try body(UnsafeBufferPointer(start: pointer, count: length))
    }

    /// The column as text, or nil for NULL.
    public func optionalString(_ index: Int) -> String? {
        isNull(index) ? nil : string(index)
    }

    /// The column as a ``DatabaseValue``.
    public func value(_ index: Int) -> DatabaseValue {
        switch sqlite3_column_type(statement.handle, Int32(index)) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement.handle, Int32(index)))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_BLOB: return .blob(blob(index))
        default: return .text(string(index))
        }
    }

    /// The column as bytes (empty for NULL).
    public func blob(_ index: Int) -> [UInt8] {
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        guard length > 0, let pointer = sqlite3_column_blob(statement.handle, Int32(index)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
