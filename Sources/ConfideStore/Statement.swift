import CSQLite

/// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Not `Sendable`: it belongs to its connection's task.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    /// The SQL text of the statement.
    public let sql: String

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let code = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard code == SQLITE_OK, let stmt else {
            throw database.error(code: code, sql: sql)
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds values to the parameters `?1…?n`, replacing earlier bindings.
    public func bind(_ values: [DatabaseValueConvertible]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value.databaseValue, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = sqlite3_bind_double(handle, index, v)
        case .text(var v):
            if v.isEmpty {
                code = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            } else {
                code = v.withUTF8 { utf8 in
                    UnsafeRawPointer(utf8.baseAddress!).withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), sqliteTransient)
                    }
                }
            }
        case .blob(let v):
            code = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
        guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
    }

    /// Binds `values` to the parameters `?1…?n` and runs the statement to completion.
    ///
    /// The bulk path for loads: no existential boxing, text bound with its byte count and
    /// copied by SQLite (`SQLITE_TRANSIENT`).
    public func execute(values: [DatabaseValue]) throws {
        try execute(values: values, [], [])
    }

    /// Binds `first`, then `second`, then `third` to the parameters `?1…?n` and runs the
    /// statement to completion: a row's keys, content and trailing values, without joining
    /// them into a new array.
    public func execute(values first: [DatabaseValue], _ second: [DatabaseValue], _ third: [DatabaseValue]) throws {
        sqlite3_reset(handle)
        var index: Int32 = 1
        for value in first { try bind(value, at: index); index += 1 }
        for value in second { try bind(value, at: index); index += 1 }
        for value in third { try bind(value, at: index); index += 1 }
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw database.error(code: code, sql: sql) }
        }
    }

    /// Runs the statement to completion with the given arguments.
    public func execute(_ arguments: [DatabaseValueConvertible] = []) throws {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw database.error(code: code, sql: sql) }
        }
    }

    /// Runs the statement and calls `body` with each row; the row is valid only inside the call.
    public func forEachRow(_ arguments: [DatabaseValueConvertible] = [], _ body: (Row) throws -> Void) throws {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        let row = Row(statement: self)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw database.error(code: code, sql: sql) }
            try body(row)
        }
    }

    /// Steps the statement (without arguments) for at most `limit` rows, calling `body` with
    /// each, and returns true when it has no more rows (it is then reset). The next call goes
    /// on where this one stopped, so a long read can be spread between other statements of the
    /// connection, as long as they do not change the schema.
    public func step(limit: Int, _ body: (Row) throws -> Void) throws -> Bool {
        let row = Row(statement: self)
        var taken = 0
        while taken < limit {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { sqlite3_reset(handle); return true }
            guard code == SQLITE_ROW else {
                sqlite3_reset(handle)
                throw database.error(code: code, sql: sql)
            }
            try body(row)
            taken += 1
        }
        return false
    }

    /// Runs the statement and maps every row.
    public func map<T>(_ arguments: [DatabaseValueConvertible] = [], _ transform: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(arguments) { result.append(try transform($0)) }
        return result
    }
}
