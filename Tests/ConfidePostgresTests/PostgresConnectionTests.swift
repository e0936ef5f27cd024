import ConfidePostgres
import ConfideStore
import Foundation
import Testing

@Suite("PostgreSQL location")
struct PostgresLocationTests {
    @Test func aURLNamesItsServerAndDatabase() throws {
        let location = try PostgresLocation(url: "postgresql://confide@db.example.org:6543/riverside")
        #expect(location.user == "confide")
        #expect(location.host == "db.example.org")
        #expect(location.port == "6543")
        #expect(location.database == "riverside")
        #expect(location.description == "confide@db.example.org:6543/riverside")
    }

    @Test func aPasswordInTheURLIsRefusedAndNeverRepeated() {
        for url in ["postgresql://confide:hunter2secret@localhost/db", "postgresql://confide@localhost/db?password=hunter2secret"] {
            #expect(throws: PostgresLocation.Problem.holdsPassword) { try PostgresLocation(url: url) }
            #expect(!PostgresLocation.Problem.holdsPassword.description.contains("hunter2secret"))
        }
    }

    @Test func otherURLsAreRefusedWithWhatToWrite() {
        #expect(throws: PostgresLocation.Problem.notPostgresURL) { try PostgresLocation(url: "mysql://localhost/db") }
        #expect(throws: PostgresLocation.Problem.notPostgresURL) { try PostgresLocation(url: "confide.sqlite") }
        do {
            _ = try PostgresLocation(url: "postgresql://localhost/db?nosuchoption=1")
            Issue.record("an unknown option was accepted")
        } catch {
            guard case .unparsable(let reason) = error else { Issue.record("wrong problem \(error)"); return }
            #expect(reason.contains("nosuchoption"))
            #expect(error.description.contains("postgresql://USER@HOST:PORT/DATABASE"))
        }
    }
}

@Suite("PostgreSQL connection", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresConnectionTests {
    @Test(arguments: [PostgresCopy.Format.text, .binary])
    func valuesRoundTripThroughParametersAndCopy(format: PostgresCopy.Format) throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try db.execute("CREATE TABLE t (n BIGINT, x DOUBLE PRECISION, s TEXT, b BYTEA)")
        let awkward = "tab\there\nnewline \\ backslash \r return, ünïcode"
        let bytes: [UInt8] = [0, 1, 0x5c, 0x09, 0x0a, 0xff, 0x80]
        try db.query("INSERT INTO t VALUES ($1, $2, $3, $4)", [Int64.min, 0.25, awkward, DatabaseValue.blob(bytes)])
        let copied = try db.copy(into: "t", columns: ["n", "x", "s", "b"], format: format) { copy in
            copy.append([Int64.max, -1.5, awkward, DatabaseValue.blob(bytes)])
            copy.append([DatabaseValue.null, DatabaseValue.null, DatabaseValue.null, DatabaseValue.null])
            copy.append([0, 0.0, "", DatabaseValue.blob([])])
            for n in 0..<20_000 { copy.append([n, Double(n) / 3, "row \(n)", DatabaseValue.blob([UInt8(n & 0xff)])]) }
        }
        #expect(copied == 20_003)
        let rows = try db.query("SELECT n, x, s, b FROM t WHERE n IN ($1, $2) ORDER BY n", [Int64.min, Int64.max])
        #expect(rows.count == 2)
        #expect(rows[0].int(0) == Int(Int64.min))
        #expect(rows[1].int(0) == Int(Int64.max))
        #expect(rows[0].double(1) == 0.25)
        #expect(rows[1].double(1) == -1.5)
        for row in rows {
            #expect(row.string(2) == awkward)
            #expect(row.bytes(3) == bytes)
        }
        let nulls = try db.query("SELECT n, x, s, b FROM t WHERE n IS NULL")
        #expect(nulls == [PostgresRow(fields: [nil, nil, nil, nil])])
        try db.query("INSERT INTO t VALUES ($1, $2, $3, $4)", [-7, 0.0, "", DatabaseValue.blob([])])
        #expect(try db.query("SELECT b FROM t WHERE n = -7").first?.bytes(0) == [], "an empty parameter is an empty bytea")
        let empty = try db.query("SELECT x, s, b FROM t WHERE n = 0 AND s = ''")
        #expect(empty.count == 1 && empty.first?.bytes(2) == [])
        #expect(try db.scalarInt("SELECT sum(n) FROM t WHERE s LIKE 'row %'") == (0..<20_000).reduce(0, +))
        #expect(try db.scalarInt("SELECT count(*) FROM t WHERE s LIKE 'row %' AND x = n::double precision / 3") == 20_000)
    }

    @Test func whatTheURLSaysOverridesConfidesDefaults() throws {
        let location = try PostgresTestServer.freshDatabase()
        #expect(try PostgresConnection(location).scalarString("SELECT current_setting('application_name')") == "confide")
        let named = try PostgresLocation(url: location.url + "&application_name=network-lead")
        #expect(try PostgresConnection(named).scalarString("SELECT current_setting('application_name')") == "network-lead")
    }

    @Test func aTransactionThatThrowsLeavesNothing() throws {
        let db = try PostgresConnection(try PostgresTestServer.freshDatabase())
        try db.execute("CREATE TABLE t (n BIGINT PRIMARY KEY)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction { db in
                try db.query("INSERT INTO t VALUES (1)")
                _ = try db.copy(into: "t", columns: ["n"]) { copy in copy.append([2]) }
                throw Stop()
            }
        }
        // A COPY the server rejects (a duplicate key) fails its transaction as a whole.
        #expect(throws: PostgresError.self) {
            try db.transaction { db in
                try db.query("INSERT INTO t VALUES (3)")
                _ = try db.copy(into: "t", columns: ["n"]) { copy in copy.append([4]); copy.append([3]) }
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
        try db.transaction { db in try db.query("INSERT INTO t VALUES (5)") }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 1)
    }

    @Test func aRefusedConnectionNamesTheServer() throws {
        _ = try requireServer()
        let port = try freePort()
        let location = try PostgresLocation(url: "postgresql://confide@127.0.0.1:\(port)/postgres?connect_timeout=5")
        do {
            _ = try PostgresConnection(location)
            Issue.record("connected to a port where nothing listens")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.description.contains("127.0.0.1:\(port)/postgres"))
        }
    }

    @Test func aWrongPasswordAndAMissingDatabaseAreToldApart() throws {
        _ = try requireServer()
        let wrong = try PostgresTestServer.passwordFile(user: "confide", password: "not-the-password-0451")
        defer { try? FileManager.default.removeItem(atPath: wrong) }
        do {
            _ = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: "postgres", passwordFile: wrong)))
            Issue.record("a wrong password was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .authentication)
            #expect(!error.description.contains("not-the-password-0451"))
        }
        do {
            _ = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: "no_such_database")))
            Issue.record("connected to a database that does not exist")
        } catch let error as PostgresError {
            #expect(error.kind == .missingDatabase)
            #expect(error.message.contains("no_such_database"))
        }
    }

    @Test func aUserWithoutThePrivilegeGetsAPermissionError() throws {
        let location = try PostgresTestServer.freshDatabase()
        let db = try PostgresConnection(location)
        try db.execute("CREATE TABLE ledger_like (n BIGINT)")
        let role = "reader_\(UUID().uuidString.prefix(8).lowercased())"
        try db.execute("CREATE ROLE \(role) LOGIN PASSWORD 'reader-pw-77'")
        let file = try PostgresTestServer.passwordFile(user: role, password: "reader-pw-77")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let reader = try PostgresConnection(try PostgresLocation(url: PostgresTestServer.url(database: location.database!, user: role, passwordFile: file)))
        do {
            try reader.query("INSERT INTO ledger_like VALUES (1)")
            Issue.record("a role without INSERT inserted")
        } catch {
            #expect(error.kind == .permission)
            #expect(error.sqlState == "42501")
        }
    }

    @Test func anAdvisoryLockKeepsASecondSessionOutUntilTheFirstEnds() throws {
        let location = try PostgresTestServer.freshDatabase()
        var first: PostgresConnection? = try PostgresConnection(location)
        let second = try PostgresConnection(location)
        #expect(try first!.tryAdvisoryLock(4242))
        #expect(try !second.tryAdvisoryLock(4242))
        try first!.releaseAdvisoryLock(4242)
        #expect(try second.tryAdvisoryLock(4242))
        try second.releaseAdvisoryLock(4242)
        #expect(try first!.tryAdvisoryLock(4242))
        first = nil  // a killed run: its session ends, and with it the lock
        var taken = false
        for _ in 0..<50 where !taken {
            taken = try second.tryAdvisoryLock(4242)
            if !taken { usleep(100_000) }
        }
        #expect(taken)
    }

    @Test func aConnectionKilledInATransactionCommitsNothing() throws {
        let location = try PostgresTestServer.freshDatabase()
        let db = try PostgresConnection(location)
        try db.execute("CREATE TABLE t (n BIGINT)")
        let killer = try PostgresConnection(location)
        #expect(throws: PostgresError.self) {
            try db.transaction { db in
                _ = try db.copy(into: "t", columns: ["n"]) { copy in for n in 0..<1000 { copy.append([n]) } }
                let pid = try #require(try db.scalarInt("SELECT pg_backend_pid()"))
                try killer.query("SELECT pg_terminate_backend($1::int)", [pid])
                do {
                    try db.query("INSERT INTO t VALUES (-1)")
                } catch let error as PostgresError {
                    #expect(error.kind == .connectionLost)
                    throw error
                }
            }
        }
        #expect(try killer.scalarInt("SELECT count(*) FROM t") == 0)
    }
}

/// A loopback port nothing listens on.
func freePort() throws -> Int {
    for port in 20_000..<30_000 {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketHandle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketHandle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if connected != 0 { return port }
    }
    throw MissingServer()
}
