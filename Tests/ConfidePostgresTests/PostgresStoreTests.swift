@testable import ConfidePipeline
import ConfidePostgres
import ConfideSchema
import Foundation
import Logging
import Testing

/// `[store] url` from the configuration to the exit code: every bad input of issue 18 gives
/// its documented code and a message that names the server and what to do, never a password.
@Suite("PostgreSQL store of a practice", .enabled(if: PostgresTestServer.runs), .serialized)
struct PostgresStoreTests {
    /// A folder with a confide.toml whose [store] is `store` (TOML lines) and a key, if `key`.
    private func practice(store: String, key: Bool = true) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgstore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = """
            [practice]
            name = "Riverside"
            [store]
            \(store)
            [privacy]
            key_file = "confide.key"
            """
        try text.write(toFile: folder + "/confide.toml", atomically: true, encoding: .utf8)
        if key {
            FileManager.default.createFile(atPath: folder + "/confide.key", contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                                           attributes: [.posixPermissions: 0o600])
        }
        return folder
    }

    private func status(_ body: () throws -> Void) -> (ConfidePipeline.ExitStatus, String)? {
        do {
            try body()
            return nil
        } catch let error as ConfideError {
            return (error.status, error.message)
        } catch {
            Issue.record("not a ConfideError: \(error)")
            return nil
        }
    }

    private func open(_ folder: String) throws {
        _ = try Workspace(configuration: try Configuration(path: folder + "/confide.toml"))
    }

    @Test func initCreatesTheStoreOnceAndHoldsItToItsKey() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = try practice(store: "url = \"\(location.url)\"")
        let first = try Initialiser.initialise(directory: folder)
        #expect(first.postgres?.createdSchema == true)
        #expect(first.postgres?.recordedKey == true)
        let again = try Initialiser.initialise(directory: folder)
        #expect(again.postgres?.createdSchema == false)
        #expect(again.postgres?.recordedKey == false)
        // The store is there and checked: a workspace opens on it and reads it.
        #expect(status { try open(folder) } == nil)
        #expect(try Workspace(configuration: try Configuration(path: folder + "/confide.toml")).lookUpCase("ABC-123") == nil)
        // Another key: refused, as for an SQLite store.
        FileManager.default.createFile(atPath: folder + "/confide.key", contents: Data(repeating: 7, count: 32), attributes: [.posixPermissions: 0o600])
        let otherKey = status { try open(folder) }
        #expect(otherKey?.0 == .noPermission)
        #expect(otherKey?.1.contains("different practice key") == true)
        // No key file at all: init restores, never creates, a key for a store that has one.
        try FileManager.default.removeItem(atPath: folder + "/confide.key")
        let missing = status { _ = try Initialiser.initialise(directory: folder) }
        #expect(missing?.0 == .noPermission)
        #expect(!FileManager.default.fileExists(atPath: folder + "/confide.key"))
    }

    @Test func initWritesANewConfigurationForAPostgresStore() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pginit-\(UUID().uuidString)").path
        let result = try Initialiser.initialise(directory: folder, storeURL: location.url)
        #expect(result.wroteConfiguration && result.createdKey)
        #expect(result.postgres?.createdSchema == true)
        let configuration = try Configuration(path: folder + "/confide.toml")
        #expect(configuration.storeURL == location)
        let db = try PostgresConnection(location)
        try PostgresSchema.check(db)
        #expect(status { _ = try Initialiser.initialise(directory: folder, storeURL: location.url + "&application_name=x") }?.0 == .usage)
    }

    @Test func aPasswordInTheURLOrTwoStoresAreConfigurationErrors() throws {
        let secret = try practice(store: "url = \"postgresql://confide:s3cret-pw-991@127.0.0.1:5432/riverside\"")
        let refused = status { _ = try Configuration(path: secret + "/confide.toml") }
        #expect(refused?.0 == .config)
        #expect(refused?.1.contains("s3cret-pw-991") == false)
        #expect(refused?.1.contains("PGPASSFILE") == true)
        let both = try practice(store: "path = \"confide.sqlite\"\nurl = \"postgresql://confide@127.0.0.1:5432/riverside\"")
        let twice = status { _ = try Configuration(path: both + "/confide.toml") }
        #expect(twice?.0 == .config)
        #expect(twice?.1.contains("both path") == true)
        let notPostgres = try practice(store: "url = \"mysql://127.0.0.1/riverside\"")
        #expect(status { _ = try Configuration(path: notPostgres + "/confide.toml") }?.0 == .config)
    }

    @Test func aServerThatCannotBeReachedIsExit69() throws {
        _ = try requireServer()
        let port = try freePort()
        let folder = try practice(store: "url = \"postgresql://confide@127.0.0.1:\(port)/riverside?connect_timeout=5\"")
        let failure = status { try open(folder) }
        #expect(failure?.0 == .unavailable)
        #expect(failure?.1.contains("127.0.0.1:\(port)/riverside") == true)
    }

    @Test func aWrongPasswordIsExit77AndNeverEchoed() throws {
        let location = try PostgresTestServer.freshDatabase()
        let wrong = try PostgresTestServer.passwordFile(user: "*", password: "wrong-pw-1234")
        let url = PostgresTestServer.url(database: location.database!, passwordFile: wrong)
        let folder = try practice(store: "url = \"\(url)\"")
        let failure = status { try open(folder) }
        #expect(failure?.0 == .noPermission)
        #expect(failure?.1.contains("wrong-pw-1234") == false)
        #expect(failure?.1.contains("never in confide.toml") == true)
    }

    @Test func aDatabaseWithoutTheSchemaOrWithANewerOneIsExit78() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = try practice(store: "url = \"\(location.url)\"")
        let missing = status { try open(folder) }
        #expect(missing?.0 == .config)
        #expect(missing?.1.contains("confide init") == true)
        let db = try PostgresConnection(location)
        #expect(try db.scalarString("SELECT to_regclass('meta')::text") == nil, "a failed open creates nothing")
        _ = try Initialiser.initialise(directory: folder)
        try db.query("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
        let newer = status { try open(folder) }
        #expect(newer?.0 == .config)
        #expect(newer?.1.contains("upgrade confide") == true)
        let absent = try practice(store: "url = \"\(PostgresTestServer.url(database: "no_such_practice"))\"")
        let noDatabase = status { try open(absent) }
        #expect(noDatabase?.0 == .config)
        #expect(noDatabase?.1.contains("createdb") == true)
    }

    @Test func theRunLockOfAPostgresStoreKeepsASecondRunOut() throws {
        let location = try PostgresTestServer.freshDatabase()
        let folder = try practice(store: "url = \"\(location.url)\"")
        _ = try Initialiser.initialise(directory: folder)
        let configuration = try Configuration(path: folder + "/confide.toml")
        var first: RunLock? = try RunLock(configuration, wait: false)
        let second = status { _ = try RunLock(configuration, wait: false) }
        #expect(second?.0 == .tryLater)
        #expect(second?.1.contains(location.description) == true)
        // A scheduled run meets the same lock before it opens anything.
        let run = status { _ = try ScheduledRun.run(configuration, selection: .latest, logger: Logger(label: "test")) }
        #expect(run?.0 == .tryLater)
        first = nil
        #expect(first == nil)
        _ = try RunLock(configuration, wait: false)
        // Unreachable: exit 69, as for any other command.
        let port = try freePort()
        let nowhere = try practice(store: "url = \"postgresql://confide@127.0.0.1:\(port)/riverside?connect_timeout=5\"")
        #expect(status { _ = try RunLock(try Configuration(path: nowhere + "/confide.toml"), wait: false) }?.0 == .unavailable)
    }

    @Test func aUserWhoMayNotCreateTablesIsExit77AndNothingIsCreated() throws {
        let location = try PostgresTestServer.freshDatabase()
        let admin = try PostgresConnection(location)
        let role = "clerk_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD 'clerk-pw-55'; REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        let file = try PostgresTestServer.passwordFile(user: role, password: "clerk-pw-55")
        let folder = try practice(store: "url = \"\(PostgresTestServer.url(database: location.database!, user: role, passwordFile: file))\"")
        let failure = status { _ = try Initialiser.initialise(directory: folder) }
        #expect(failure?.0 == .noPermission)
        #expect(failure?.1.contains("lacks a privilege") == true)
        #expect(try admin.scalarString("SELECT to_regclass('meta')::text") == nil)
    }
}
