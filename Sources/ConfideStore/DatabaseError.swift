/// An error raised by SQLite, carrying its result code and message.
///
/// The message is SQLite's own text and the SQL that failed; bound values are never included,
/// so an error can be logged without leaking data.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// SQLite's extended result code (for example `SQLITE_BUSY` is 5).
    public let resultCode: Int32
    /// SQLite's error message.
    public let message: String
    /// The statement that failed, if any (SQL text only, never bound values).
    public let sql: String?

    /// Creates an error from a result code and message.
    public init(resultCode: Int32, message: String, sql: String? = nil) {
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
    }

    /// True when the database was locked by another connection (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    public var isBusy: Bool { (resultCode & 0xff) == 5 || (resultCode & 0xff) == 6 }

    /// True when the disk or the database is full (`SQLITE_FULL`) or an I/O error occurred.
    public var isIOFailure: Bool { (resultCode & 0xff) == 13 || (resultCode & 0xff) == 10 }

    /// A one-line description: code, message and statement.
    public var description: String {
        var text = "SQLite error \(resultCode): \(message)"
        if let sql { text += " (in: \(sql.prefix(120)))" }
        return text
    }
}
