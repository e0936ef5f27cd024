public import ConfideIngest
import ConfidePostgres
import Foundation

/// `confide init`: a commented configuration and a new key, never overwriting either.
public enum Initialiser {
    /// What `init` did.
    public struct Result: Sendable {
        /// The configuration file.
        public let configuration: String
        /// True when it was written now (false: it existed and was kept).
        public let wroteConfiguration: Bool
        /// The key file.
        public let keyFile: String
        /// True when a new key was created now.
        public let createdKey: Bool
        /// Where the exports go (`[source] path`).
        public let exports: String
        /// What was done to a PostgreSQL store (`[store] url`), nil for an SQLite store (made by
        /// the first command that opens it).
        public var postgres: PostgresStore.Prepared? = nil
    }

    /// Initialises `directory` (created if missing).
    ///
    /// - Parameter preset: a practice system's mapping to write into the configuration.
    /// - Parameter storeURL: for a new configuration, a PostgreSQL store (`[store] url`).
    ///
    /// With `[store] url` in the configuration, also creates the confide schema in that database
    /// (unless it holds it) and records the key's fingerprint there.
    public static func initialise(directory: String, practiceName: String = "My practice", publishDir: String = "Reports",
                                  preset: Preset? = nil, storeURL: String? = nil) throws -> Result {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfideError(.cannotCreate, "cannot create \(directory): \(error.localizedDescription)")
        }
        let configPath = directory + "/confide.toml"
        var wrote = false
        if !FileManager.default.fileExists(atPath: configPath) {
            if let storeURL {
                do { _ = try PostgresLocation(url: storeURL) } catch {
                    throw ConfideError(.usage, "--store-url \(error.description)")
                }
            }
            let text = ConfigTemplate.render(practiceName: practiceName, publishDir: publishDir, preset: preset, storeURL: storeURL)
            guard FileManager.default.createFile(atPath: configPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ConfideError(.cannotCreate, "cannot write \(configPath)")
            }
            wrote = true
        }
        let configuration = try Configuration(path: configPath)
        if let storeURL, configuration.storeURL?.url != storeURL {
            throw ConfideError(.usage, "\(configPath) exists and names another store; --store-url only writes a new configuration. Set [store] url in it instead (and remove path).")
        }
        // The folder the exports go into (csv sources; an sqlite source is a file).
        if configuration.sourceFormat == "csv" {
            try? FileManager.default.createDirectory(atPath: configuration.sourcePath, withIntermediateDirectories: true)
        }
        var created = false
        if !FileManager.default.fileExists(atPath: configuration.keyFile) {
            if let location = configuration.storeURL, PostgresStore.recordsKey(location) {
                throw ConfideError(.noPermission, "the PostgreSQL store \(location) exists but its key file \(configuration.keyFile) does not: restore the practice key from its backup. A new key would not read the store, so none was created.")
            }
            guard configuration.storeURL != nil || !FileManager.default.fileExists(atPath: configuration.storePath) else {
                throw ConfideError(.noPermission, "\(configuration.storePath) exists but its key file \(configuration.keyFile) does not: restore the practice key from its backup. A new key would not read the store, so none was created.")
            }
            try KeyFile.create(at: configuration.keyFile)
            created = true
        }
        var result = Result(configuration: configPath, wroteConfiguration: wrote, keyFile: configuration.keyFile, createdKey: created,
                            exports: configuration.sourcePath)
        if let location = configuration.storeURL {
            result.postgres = try PostgresStore.prepare(location, key: try KeyFile.load(from: configuration.keyFile), createSchema: true)
        }
        return result
    }
}
