import CLibPQ
#if canImport(Glibc)
import Glibc
#endif
public import ConfideStore

/// One connection to a PostgreSQL store (libpq).
///
/// Like ``ConfideStore/Database`` it is not `Sendable`: open it, use it and close it from one
/// task. Writes go through ``transaction(_:)``, which commits when the closure returns and
/// rolls back when it throws; a connection that breaks in a transaction leaves nothing of it,
/// because the server rolls back what was not committed.
public final class PostgresConnection {
    private let handle: OpaquePointer
    /// The store this connection is open on.
    public let location: PostgresLocation

    /// Opens a connection to `location` (libpq finds the password in the password file, a
    /// service file or `PGPASSWORD`).
    ///
    /// - Parameters:
    ///   - location: the server and database.
    ///   - connectTimeoutSeconds: how long to wait for the server before ``PostgresError/Kind/unreachable``.
    /// - Throws: ``PostgresError`` of kind `unreachable`, `authentication` or `missingDatabase`.
    public init(_ location: PostgresLocation, connectTimeoutSeconds: Int = 10) throws(PostgresError) {
        // Defaults first, the URL last: libpq lets later settings override earlier ones, so what
        // the URL says (its own connect_timeout, say) wins.
        let keywords = ["application_name", "connect_timeout", "client_encoding", "dbname"]
        let values = ["confide", String(connectTimeoutSeconds), "UTF8", location.url]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else {
            throw PostgresError(kind: .resources, message: "libpq could not allocate a connection", server: location.description)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
            PQfinish(connection)
            throw PostgresError(kind: PostgresError.kind(ofConnectionMessage: message), message: message, server: location.description)
        }
        handle = connection
        self.location = location
        // Notices (a table that already exists, say) are not confide's to print.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// The server's version number (150018 for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one or more SQL statements that take no arguments.
    public func execute(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with arguments (`$1`, `$2`, ...) and returns its rows, every value in
    /// PostgreSQL's text form. A `blob` argument is sent as binary `bytea`.
    @discardableResult
    public func query(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws(PostgresError) -> [PostgresRow] {
        let values = arguments.map(\.databaseValue)
        let result = withParameters(values) { pointers, lengths, formats in
            PQexecParams(handle, sql, Int32(values.count), nil, pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        guard let result, PQresultStatus(result) == PGRES_TUPLES_OK else { return [] }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [PostgresRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var fields: [String?] = []
            fields.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                fields.append(PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            rows.append(PostgresRow(fields: fields))
        }
        return rows
    }

    /// The first column of the first row as an integer, or nil when there is no row or it is NULL.
    public func scalarInt(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws(PostgresError) -> Int? {
        try query(sql, arguments).first?.optionalInt(0)
    }

    /// The first column of the first row as text, or nil when there is no row or it is NULL.
    public func scalarString(_ sql: String, _ arguments: [DatabaseValueConvertible] = []) throws(PostgresError) -> String? {
        try query(sql, arguments).first?.optionalString(0)
    }

    /// Runs `body` in a transaction (`SERIALIZABLE` by default): committed when it returns,
    /// rolled back when it throws. A commit that fails (a serialization conflict, a lost
    /// connection) throws, and nothing of the transaction is kept.
    public func transaction<T>(isolation: IsolationLevel = .serializable, _ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if PQstatus(handle) == CONNECTION_OK { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// A transaction's isolation level.
    public enum IsolationLevel: String, Sendable {
        /// Every transaction sees and writes as if alone; a conflict fails one of them.
        case serializable = "SERIALIZABLE"
        /// One snapshot for the whole transaction.
        case repeatableRead = "REPEATABLE READ"
        /// A snapshot per statement.
        case readCommitted = "READ COMMITTED"
    }

    /// Takes the session's advisory lock `key` without waiting: true when taken (it is held
    /// until ``releaseAdvisoryLock(_:)`` or the connection ends, so a killed run frees it),
    /// false when another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        try scalarString("SELECT pg_try_advisory_lock($1::bigint)", [key]) == "t"
    }

    /// Releases the advisory lock `key` taken by ``tryAdvisoryLock(_:)``.
    public func releaseAdvisoryLock(_ key: Int64) throws(PostgresError) {
        try query("SELECT pg_advisory_unlock($1::bigint)", [key])
    }

    /// Loads rows into `table` with `COPY ... FROM STDIN` (text format, or binary: see
    /// ``PostgresCopy/Format``): `body` writes the rows to the ``PostgresCopy`` it is given,
    /// which sends them in large chunks. Returns the number of rows the server stored. Inside a
    /// transaction, a failure leaves nothing.
    public func copy(into table: String, columns: [String], format: PostgresCopy.Format = .text,
                     _ body: (inout PostgresCopy) throws -> Void) throws -> Int {
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN" + (format == .binary ? " WITH (FORMAT binary)" : "")
        let start = PQexec(handle, sql)
        let status = start.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            try check(start, sql: sql)
        }
        PQclear(start)
        var copy = PostgresCopy(columns: columns.count, format: format) { [handle] bytes in
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) == 1 }
            }
        }
        do {
            try body(&copy)
            guard copy.finish() else { throw connectionError(sql: sql) }
        } catch {
            _ = PQputCopyEnd(handle, "confide stopped the load")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError(sql: sql) }
        var stored = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if failure == nil {
                do throws(PostgresError) { try check(result, sql: sql) } catch { failure = error }
                if let tuples = PQcmdTuples(result), let count = Int(String(cString: tuples)) { stored = count }
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return stored
    }

    private func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    private func connectionError(sql: String?) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
        return PostgresError(kind: PQstatus(handle) == CONNECTION_OK ? .statement : .connectionLost,
                             message: message.isEmpty ? "the connection failed" : message, server: location.description, sql: sql)
    }

    /// Throws when `result` is not a success.
    private func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) {
        guard let result else { throw connectionError(sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT:
            return
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let message = primary ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
            var kind = PostgresError.kind(ofSQLState: state)
            if PQstatus(handle) != CONNECTION_OK { kind = .connectionLost }
            throw PostgresError(kind: kind, sqlState: state, message: message.isEmpty ? "the statement failed" : message,
                                server: location.description, sql: sql)
        }
    }
}

/// C strings for libpq's parallel arrays, NULL-terminated, alive for the call.
private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    var storage = strings.map { strdup($0) }
    defer { storage.forEach { free($0) } }
    var pointers = storage.map { UnsafePointer($0) }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// libpq's parameter arrays for `values`: text for numbers and strings, binary for bytes.
private func withParameters<T>(_ values: [DatabaseValue],
                               _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T) -> T {
    var buffers: [UnsafeMutablePointer<CChar>?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    for value in values {
        switch value {
        case .null:
            buffers.append(nil); lengths.append(0); formats.append(0)
        case .integer(let number):
            buffers.append(strdup(String(number))); lengths.append(0); formats.append(0)
        case .real(let number):
            buffers.append(strdup(String(number))); lengths.append(0); formats.append(0)
        case .text(let text):
            buffers.append(strdup(text)); lengths.append(0); formats.append(0)
        case .blob(let bytes):
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { if let base = $0.baseAddress, !$0.isEmpty { buffer.update(from: base, count: $0.count) } }
            }
            buffers.append(buffer); lengths.append(Int32(bytes.count)); formats.append(1)
        }
    }
    defer {
        for (index, buffer) in buffers.enumerated() where buffer != nil {
            if formats[index] == 1 { buffer!.deallocate() } else { free(buffer) }
        }
    }
    let pointers = buffers.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { pointerBuffer in
        lengths.withUnsafeBufferPointer { lengthBuffer in
            formats.withUnsafeBufferPointer { formatBuffer in
                body(pointerBuffer.baseAddress, lengthBuffer.baseAddress, formatBuffer.baseAddress)
            }
        }
    }
}
