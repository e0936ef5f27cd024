public import ConfideIngest
public import ConfidePostgres
import ConfideSchema
import Foundation

/// A practice's PostgreSQL store (`[store] url`, issue 18): connected, its schema checked (or
/// created, by `confide init`), and its practice key checked against the one the store was
/// created with, as ``Workspace`` does for an SQLite store.
///
/// Every command on a PostgreSQL store starts here (``opened(_:configuration:)``); then
/// ``Workspace`` runs on it (docs/architecture.md, "PostgreSQL").
public enum PostgresStore {
    /// What ``prepare(_:key:createSchema:)`` found or did.
    public struct Prepared: Sendable {
        /// The store, as messages name it (`USER@HOST:PORT/DB`).
        public let server: String
        /// True when the schema was created now.
        public let createdSchema: Bool
        /// True when the key's fingerprint was recorded now (a new store).
        public let recordedKey: Bool
    }

    /// Connects to `location`, checks (with `createSchema`, creates) its schema and checks the
    /// practice key's fingerprint, recording it in a new store.
    ///
    /// - Throws: ``ConfideError`` with the exit code of each failure (docs/operations.md): 69
    ///   the server cannot be reached; 77 the server refused the user or password, the user
    ///   lacks a privilege, or the store was created with another key; 78 the database does
    ///   not exist, holds no confide schema (run `confide init`) or one of another version.
    @discardableResult
    public static func prepare(_ location: PostgresLocation, key: PracticeKey, createSchema: Bool) throws -> Prepared {
        let db: PostgresConnection
        do { db = try PostgresConnection(location) } catch { throw postgresError(error) }
        return try prepare(location, on: db, key: key, createSchema: createSchema)
    }

    /// ``prepare(_:key:createSchema:)`` on a connection already made to `location`.
    @discardableResult
    static func prepare(_ location: PostgresLocation, on db: PostgresConnection, key: PracticeKey, createSchema: Bool) throws -> Prepared {
        do {
            var created = false
            do {
                // A store of an earlier version is brought up to this one, as SQLite's is on open
                // (`create` does so too, after creating it).
                if createSchema {
                    created = try PostgresSchema.create(on: db)
                } else {
                    try PostgresSchema.migrate(db)
                }
            } catch let problem as PostgresSchema.Problem {
                throw schemaError(problem, server: location.description)
            }
            let recorded = try db.transaction { db in
                let fingerprint = key.fingerprint
                if let stored = try db.scalarString("SELECT value FROM meta WHERE key = 'key_fingerprint'") {
                    guard stored == fingerprint else {
                        throw ConfideError(.noPermission, "the PostgreSQL store \(location.description) was created with a different practice key (fingerprint \(stored), this key \(fingerprint)). Use the original key file; pseudonyms from two keys are never mixed.")
                    }
                    return false
                }
                try db.query("INSERT INTO meta (key, value) VALUES ('key_fingerprint', $1)", [fingerprint])
                return true
            }
            return Prepared(server: location.description, createdSchema: created, recordedKey: recorded)
        } catch let error as PostgresError {
            throw postgresError(error)
        }
    }

    /// The practice key of `configuration` (a missing key file next to a store that records a
    /// key is one to restore, never one to create) and a connection to the store at
    /// `location`, whose schema and key are checked (``prepare(_:key:createSchema:)``): what
    /// every command does first on a PostgreSQL store.
    static func opened(_ location: PostgresLocation, configuration: Configuration) throws -> (key: PracticeKey, connection: PostgresConnection) {
        // Whether the store records a key matters only when the key file is missing; asked
        // then only, as it takes a connection of its own.
        let keyMissing = !FileManager.default.fileExists(atPath: configuration.keyFile)
        let key = try KeyFile.load(from: configuration.keyFile, storeExists: keyMissing && recordsKey(location))
        let db: PostgresConnection
        do { db = try PostgresConnection(location) } catch { throw postgresError(error) }
        try prepare(location, on: db, key: key, createSchema: false)
        return (key, db)
    }

    /// True when the store at `location` already records a practice key (so a missing key
    /// file is one to restore, never one to create). False when the database cannot be read.
    public static func recordsKey(_ location: PostgresLocation) -> Bool {
        guard let db = try? PostgresConnection(location), (try? PostgresSchema.check(db)) != nil else { return false }
        return (try? db.scalarString("SELECT value FROM meta WHERE key = 'key_fingerprint'")) != nil
    }

    static func schemaError(_ problem: PostgresSchema.Problem, server: String) -> ConfideError {
        switch problem {
        case .missing:
            return ConfideError(.config, "the PostgreSQL database \(server) holds no confide store. Create it with 'confide init' on this configuration (it needs CREATE on the database), or correct [store] url if it names the wrong database.")
        case .newer(let version):
            return ConfideError(.config, "the PostgreSQL store \(server) has schema version \(version), newer than this confide understands (\(PostgresSchema.version)); upgrade confide. Nothing was written.")
        case .older(let version):
            return ConfideError(.config, "the PostgreSQL store \(server) has schema version \(version); this confide writes \(PostgresSchema.version) and has no step from it. Nothing was written.")
        }
    }
}

/// Maps a PostgreSQL failure to its exit code and a message that names the server and what to
/// do, never the password (libpq's and the server's messages hold none).
func postgresError(_ error: PostgresError) -> ConfideError {
    let server = error.server
    switch error.kind {
    case .unreachable:
        return ConfideError(.unavailable, "cannot reach the PostgreSQL server \(server): \(error.message). Check that it runs and accepts connections there, and that [store] url names its host and port.")
    case .authentication:
        return ConfideError(.noPermission, "the PostgreSQL server \(server) refused the login: \(error.message). Check the user in [store] url and its password in the password file (PGPASSFILE, default ~/.pgpass, mode 0600), a service file (PGSERVICEFILE) or PGPASSWORD; never in confide.toml.")
    case .missingDatabase:
        return ConfideError(.config, "the PostgreSQL database in [store] url does not exist on \(server): \(error.message). Create it (createdb) or correct the URL.")
    case .permission:
        return ConfideError(.noPermission, "the PostgreSQL user lacks a privilege on \(server): \(error.message). Grant it (docs/operations.md, \"PostgreSQL store\"); nothing of this transaction was kept.")
    case .connectionLost:
        return ConfideError(.tryLater, "the connection to the PostgreSQL server \(server) broke: \(error.message). Nothing of the interrupted transaction was kept; run again when the server is back.")
    case .conflict:
        return ConfideError(.tryLater, "another session's transaction conflicted on \(server): \(error.message). Nothing of this one was kept; run again.")
    case .resources:
        return ConfideError(.ioError, "the PostgreSQL server \(server) ran out of a resource: \(error.message). Free disk space on the server; nothing of this transaction was kept.")
    case .statement:
        return ConfideError(.ioError, error.description)
    }
}
