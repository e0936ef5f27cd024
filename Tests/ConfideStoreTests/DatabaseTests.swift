import ConfideSchema
import ConfideStore
import Foundation
import Testing

private func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("confide-store-\(UUID().uuidString).sqlite").path
}

@Suite struct DatabaseTests {
    @Test func migratesToTheLatestSchemaOnce() throws {
        let path = temporaryPath()
        let db = try Database(path: path)
        try Schema.migrator.migrate(db)
        #expect(try db.scalarInt("PRAGMA user_version") == Schema.migrator.latestVersion)
        try Schema.migrator.migrate(db)  // a second run is a no-op
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
    }

    @Test func refusesAStoreNewerThanTheCode() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("PRAGMA user_version = 999")
        #expect(throws: DatabaseError.self) { try Schema.migrator.migrate(db) }
    }

    /// `beforeCommit` runs inside each `write`, after its body: what it writes commits with the
    /// body's rows, and when it fails, the body's rows roll back with it. A migrator's `finish`
    /// sets it on each connection it brings up to date, and a step runs without it.
    @Test func beforeCommitRunsInTheTransactionAndAFailureRollsItAllBack() throws {
        let db = try Database(path: temporaryPath())
        let migrator = Migrator(steps: ["CREATE TABLE t (x INTEGER); CREATE TABLE summary (n INTEGER)"],
                                finish: { db in db.beforeCommit = "DELETE FROM summary; INSERT INTO summary SELECT count(*) FROM t" })
        try migrator.migrate(db)
        #expect(try db.scalarInt("SELECT count(*) FROM summary") == 0)  // the step ran without it
        try db.write { try $0.execute("INSERT INTO t VALUES (1), (2)") }
        #expect(try db.scalarInt("SELECT n FROM summary") == 2)
        try db.execute("INSERT INTO t VALUES (3)")  // outside `write`: nothing runs
        #expect(try db.scalarInt("SELECT n FROM summary") == 2)
        db.beforeCommit = "INSERT INTO no_such_table VALUES (1)"
        #expect(throws: DatabaseError.self) { try db.write { try $0.execute("INSERT INTO t VALUES (4)") } }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 3)
        #expect(try db.scalarInt("SELECT n FROM summary") == 2)
    }

    /// While one connection holds the write lock for a read, another connection reads the
    /// same snapshot and cannot commit; nothing the holder does is kept; a read-only connection
    /// cannot hold the lock.
    @Test func aReadHoldingTheWriteLockKeepsOtherWritersOut() throws {
        let path = temporaryPath()
        let db = try Database(path: path, busyTimeoutMilliseconds: 50)
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.write { try $0.execute("INSERT INTO t VALUES (1)") }
        let other = try Database(path: path, busyTimeoutMilliseconds: 50)
        let seen = try db.readHoldingWriteLock { db in
            try db.execute("INSERT INTO t VALUES (2)")  // not kept: the transaction is rolled back
            #expect(throws: DatabaseError.self) { try other.write { try $0.execute("INSERT INTO t VALUES (3)") } }
            return try other.read { try $0.scalarInt("SELECT count(*) FROM t") }
        }
        #expect(seen == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 1)
        try other.write { try $0.execute("INSERT INTO t VALUES (3)") }  // the lock is gone
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 2)
        let readOnly = try Database(path: path, mode: .readOnly)
        #expect(throws: DatabaseError.self) { try readOnly.readHoldingWriteLock { _ in 0 } }
    }

    @Test func writeCommitsOrRollsBackAsAWhole() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.write { try $0.execute("INSERT INTO t VALUES (?)", [1]) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.write { db in
                try db.execute("INSERT INTO t VALUES (?)", [2])
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 1)
    }

    @Test func errorsCarrySQLiteCodeAndMessage() throws {
        let db = try Database(path: temporaryPath())
        do {
            try db.execute("SELECT * FROM missing_table")
            Issue.record("expected an error")
        } catch let error as DatabaseError {
            #expect(error.resultCode == 1)
            #expect(error.message.contains("no such table"))
        }
    }

    @Test func bindsAndReadsEveryType() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE t (a, b, c, d, e)")
        let text = String(repeating: "é", count: 1000)
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [42, 2.5, text, DatabaseValue.blob([0, 1, 255]), DatabaseValue.null])
        try db.cachedStatement("SELECT a, b, c, d, e FROM t").forEachRow { row in
            #expect(row.int(0) == 42)
            #expect(row.double(1) == 2.5)
            #expect(row.string(2) == text)
            #expect(row.blob(3) == [0, 1, 255])
            #expect(row.isNull(4) && row.optionalInt(4) == nil)
            #expect(row.value(0) == .integer(42))
            #expect(row.withUTF8(2) { Array($0) } == Array(text.utf8))
            #expect(row.withUTF8(4) { $0.count } == 0)
        }
    }

    @Test func secondWriterIsBusyNotCorrupting() throws {
        let path = temporaryPath()
        let first = try Database(path: path, busyTimeoutMilliseconds: 50)
        try first.execute("CREATE TABLE t (x INTEGER)")
        let second = try Database(path: path, busyTimeoutMilliseconds: 50)
        try first.execute("BEGIN IMMEDIATE")
        do {
            try second.write { try $0.execute("INSERT INTO t VALUES (1)") }
            Issue.record("expected busy")
        } catch let error as DatabaseError {
            #expect(error.isBusy)
        }
        try first.execute("ROLLBACK")
        try second.write { try $0.execute("INSERT INTO t VALUES (1)") }
        #expect(try first.scalarInt("SELECT count(*) FROM t") == 1)
    }

    @Test func readOnlySourceRefusesWrites() throws {
        let path = temporaryPath()
        try Database(path: path).execute("CREATE TABLE t (x)")
        let db = try Database(path: path, mode: .readOnly)
        try db.quickCheck()
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO t VALUES (1)") }
    }
}

@Suite struct BulkBindingTests {
    @Test func bindsKeysContentAndTrailingValuesInOrderAndEmptyTextIsNotNull() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT, b TEXT, c INTEGER, d REAL, e BLOB, f INTEGER)")
        let insert = try db.makeStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
        try insert.execute(values: [.text("ключ")], [.text(""), .null, .real(1.5)], [.blob([1, 2]), .integer(7)])
        try insert.execute(values: [.text(String(repeating: "x", count: 40)), .text("b"), .integer(3), .real(0), .blob([]), .integer(8)])
        #expect(try db.scalarString("SELECT a FROM t WHERE f = 7") == "ключ")
        #expect(try db.scalarInt("SELECT count(*) FROM t WHERE b = '' AND c IS NULL AND d = 1.5 AND hex(e) = '0102'") == 1)
        #expect(try db.scalarInt("SELECT length(a) FROM t WHERE f = 8") == 40)
    }
}
