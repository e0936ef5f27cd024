import ConfideStore
import Foundation
import Testing

/// Real SQLite failures on statements with distinctive bound values: the error carries the
/// result code, SQLite's message and the SQL text, and none of the bound values.
@Suite struct DatabaseErrorTests {
    /// Values no SQL text or SQLite message contains unless a bound value leaks into it.
    static let email = "zq.planted@example.org"
    static let nhsNumber: Int64 = 9_434_765_919
    static let note = "Told me about the affair"

    static let insert = "INSERT INTO clients (id, email, sessions, note) VALUES (?, ?, ?, ?)"

    /// A STRICT table with a primary key, a UNIQUE, a CHECK and a NOT NULL constraint, and one row.
    private func database() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("""
            CREATE TABLE clients (id INTEGER PRIMARY KEY, email TEXT UNIQUE, sessions INTEGER CHECK (sessions < 100),
                                  note TEXT NOT NULL) STRICT
            """)
        try db.execute(Self.insert, [Self.nhsNumber, Self.email, 1, Self.note])
        return db
    }

    /// Checks `error` against the expected extended result code and the failed SQL, and that no
    /// bound value reaches any of its texts.
    private func expectRedacted(_ error: DatabaseError, code: Int32, sql: String, bound: [String],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error.resultCode == code, sourceLocation: sourceLocation)
        #expect(error.sql == sql, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("SQLite error \(code): \(error.message)"), sourceLocation: sourceLocation)
        #expect(error.description.contains(String(sql.prefix(120))), sourceLocation: sourceLocation)
        for value in bound {
            for (name, text) in [("description", error.description), ("message", error.message), ("sql", error.sql ?? "")] {
                #expect(!text.contains(value), "the bound value \(value) is in the error's \(name): \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aUniqueViolationNamesTheColumnNotTheValue() throws {
        let db = try database()
        let error = try #require(throws: DatabaseError.self) {
            try db.execute(Self.insert, [Self.nhsNumber + 1, Self.email, 2, "second " + Self.note])
        }
        #expect(error.resultCode & 0xff == 19)   // SQLITE_CONSTRAINT
        #expect(error.message.contains("UNIQUE constraint failed: clients.email"))
        expectRedacted(error, code: 2067, sql: Self.insert, bound: [Self.email, Self.note, String(Self.nhsNumber + 1)])   // SQLITE_CONSTRAINT_UNIQUE
    }

    @Test func aPrimaryKeyViolationOnTheBulkPathLeavesTheKeyOut() throws {
        let db = try database()
        let statement = try db.makeStatement(Self.insert)
        let error = try #require(throws: DatabaseError.self) {
            try statement.execute(values: [.integer(Self.nhsNumber)], [.text("other." + Self.email), .integer(3)], [.text(Self.note)])
        }
        expectRedacted(error, code: 1555, sql: Self.insert, bound: [String(Self.nhsNumber), Self.email, Self.note])   // SQLITE_CONSTRAINT_PRIMARYKEY
    }

    @Test func aCheckViolationShowsTheConstraintNotTheValue() throws {
        let db = try database()
        let error = try #require(throws: DatabaseError.self) {
            try db.execute(Self.insert, [2, "check." + Self.email, 987_654_321, Self.note])
        }
        #expect(error.message.contains("CHECK constraint failed"))
        expectRedacted(error, code: 275, sql: Self.insert, bound: ["987654321", Self.email, Self.note])   // SQLITE_CONSTRAINT_CHECK
    }

    @Test func aNotNullViolationLeavesTheRowsOtherValuesOut() throws {
        let db = try database()
        let error = try #require(throws: DatabaseError.self) {
            try db.execute(Self.insert, [3, "null." + Self.email, 4, String?.none])
        }
        #expect(error.message.contains("NOT NULL constraint failed: clients.note"))
        expectRedacted(error, code: 1299, sql: Self.insert, bound: [Self.email])   // SQLITE_CONSTRAINT_NOTNULL
    }

    @Test func aStrictTypeMismatchNamesTheTypeNotTheValue() throws {
        let db = try database()
        let error = try #require(throws: DatabaseError.self) {
            try db.execute(Self.insert, [4, "strict." + Self.email, "Zebedee Quartermaine", Self.note])
        }
        #expect(error.message.contains("cannot store TEXT value in INTEGER column clients.sessions"))
        expectRedacted(error, code: 3091, sql: Self.insert, bound: ["Zebedee Quartermaine", Self.email, Self.note])   // SQLITE_CONSTRAINT_DATATYPE
    }

    @Test func aQueryFailingOnABoundValueLeavesItOut() throws {
        let db = try database()
        let sql = "SELECT json_extract(?, '$.email')"
        let error = try #require(throws: DatabaseError.self) {
            _ = try db.scalarString(sql, ["{\"email\": \"" + Self.email])   // malformed JSON
        }
        #expect(error.resultCode == 1)   // SQLITE_ERROR
        expectRedacted(error, code: 1, sql: sql, bound: [Self.email])
    }
}
