/// An error from a PostgreSQL store: what kind of failure it is, the server's SQLSTATE and
/// message, the server it came from and the statement that failed.
///
/// Like ``ConfideStore/DatabaseError`` it never holds a bound value or a password: the message
/// is the server's (or libpq's) text, the statement is SQL text only.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an operator acts on it.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached: refused, unknown host, timed out.
        case unreachable
        /// The server refused the user or the password (or found none).
        case authentication
        /// The database named in the URL does not exist.
        case missingDatabase
        /// The user lacks a privilege the statement needs (SQLSTATE 42501).
        case permission
        /// The connection broke while in use (a server restart, a killed backend, a network
        /// failure): the open transaction was rolled back by the server.
        case connectionLost
        /// Another transaction conflicted (serialization failure, deadlock, lock not
        /// available): nothing was written; try again.
        case conflict
        /// The disk of the server is full or another resource ran out (SQLSTATE class 53).
        case resources
        /// Any other failure of a statement.
        case statement
    }

    /// What went wrong.
    public let kind: Kind
    /// The server's SQLSTATE, when it sent one (`42501`, `40001`, ...).
    public let sqlState: String?
    /// The server's or libpq's message.
    public let message: String
    /// The server and database (``PostgresLocation/description``).
    public let server: String
    /// The statement that failed, if any (SQL text only, never values).
    public let sql: String?

    /// Creates an error.
    public init(kind: Kind, sqlState: String? = nil, message: String, server: String, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.server = server
        self.sql = sql
    }

    /// The kind a statement's SQLSTATE means.
    static func kind(ofSQLState state: String?) -> Kind {
        guard let state else { return .statement }
        if state == "42501" { return .permission }
        if state.hasPrefix("08") || state.hasPrefix("57P") { return .connectionLost }
        if state == "40001" || state == "40P01" || state == "55P03" { return .conflict }
        if state.hasPrefix("53") { return .resources }
        if state == "3D000" { return .missingDatabase }
        if state.hasPrefix("28") { return .authentication }
        return .statement
    }

    /// The kind a failed connection's libpq message means (libpq gives no SQLSTATE for a
    /// connection that never opened).
    static func kind(ofConnectionMessage message: String) -> Kind {
        if message.contains("password authentication failed") || message.contains("no password supplied")
            || message.contains("authentication failed") || message.contains("no pg_hba.conf entry")
            || message.contains("role \"") && message.contains("does not exist") {
            return .authentication
        }
        if message.contains("database \"") && message.contains("does not exist") { return .missingDatabase }
        return .unreachable
    }

    /// One line: server, kind, SQLSTATE, message and statement.
    public var description: String {
        var text = "PostgreSQL \(server): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let sql { text += " (in: \(sql.prefix(120)))" }
        return text
    }
}
