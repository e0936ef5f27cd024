public import ConfideIngest
public import ConfideModel
import ConfideMetrics
import ConfidePostgres
import ConfideSchema
import ConfideStore
import Foundation
public import Logging

/// An opened practice: its configuration, key and store. The API the command line calls.
/// Not `Sendable`: it owns one connection to its store, used from one task.
///
/// On a PostgreSQL store (`[store] url`) it does all it does on SQLite: it ingests, computes
/// the releases inside the server (``PostgresWeeklyMetrics``), charges and stores them,
/// publishes, purges and erases.
public final class Workspace {
    /// The configuration in force.
    public let configuration: Configuration
    private(set) var key: PracticeKey {
        didSet { pseudonymizer = Pseudonymizer(key: key) }
    }
    /// The pseudonymiser under ``key`` (its key schedule runs once per workspace).
    private(set) var pseudonymizer: Pseudonymizer
    /// The store's engine and connection.
    let engine: StoreEngine
    let logger: Logger

    /// Which engine holds the store, with its connection.
    enum StoreEngine {
        /// The embedded default: an SQLite file (`[store] path`).
        case sqlite(Database)
        /// A PostgreSQL database (`[store] url`).
        case postgres(PostgresConnection)
    }

    /// The store's bookkeeping connection (ledger, releases, run log), whichever the engine.
    var store: any SQLConnection {
        switch engine {
        case .sqlite(let db): db
        case .postgres(let db): db
        }
    }

    /// The SQLite store's connection, for what reads SQLite itself (`PRAGMA`s, the tests).
    ///
    /// - Throws: ``ConfideError`` (exit 78) on a PostgreSQL store.
    var db: Database {
        get throws {
            guard case .sqlite(let db) = engine else {
                throw ConfideError(.config, "\(configuration.file): [store] url: a PostgreSQL store, not an SQLite file")
            }
            return db
        }
    }

    /// The exact figures of the store: computed in Swift from an SQLite store, inside the
    /// server from a PostgreSQL one.
    var figures: any ExactFigures {
        switch engine {
        case .sqlite(let db): WeeklyMetrics(db: db, settings: configuration.metrics)
        case .postgres(let db): PostgresWeeklyMetrics(db: db, settings: configuration.metrics)
        }
    }

    /// Opens the practice described by `configuration`: loads the key (refusing unsafe
    /// permissions), opens and migrates the store, and refuses a key other than the one the
    /// store was created with.
    public init(configuration: Configuration, logger: Logger = Logger(label: "confide")) throws {
        self.configuration = configuration
        self.logger = logger
        if let location = configuration.storeURL {
            let (checked, db) = try PostgresStore.opened(location, configuration: configuration)
            key = checked
            pseudonymizer = Pseudonymizer(key: checked)
            engine = .postgres(db)
            do {
                // A purge or an erasure interrupted after its deletion committed: its rows are
                // vacuumed away now.
                if try db.scalarString("SELECT value FROM meta WHERE key = 'erasure_pending'") != nil {
                    logger.info("removing the rows an interrupted purge or erasure deleted from the store's tables (VACUUM)")
                    try finishErasure()
                }
            } catch let error as PostgresError {
                throw postgresError(error)
            }
            return
        }
        let loaded = try KeyFile.load(from: configuration.keyFile, storeExists: FileManager.default.fileExists(atPath: configuration.storePath))
        key = loaded
        pseudonymizer = Pseudonymizer(key: loaded)
        do {
            let db = try Database(path: configuration.storePath)
            engine = .sqlite(db)
            let version = try db.scalarInt("PRAGMA user_version") ?? 0
            let rebuildsLayout = (1..<Schema.referralKeysVersion).contains(version)
            if (1..<Schema.compactLayoutVersion).contains(version) {
                // Shown in quiet commands too: it delays the command by minutes at a large
                // practice and needs disk space (docs/operations.md, "Upgrading confide").
                logger.warning("the store is at schema version \(version); upgrading it to \(Schema.migrator.latestVersion) rebuilds its tables in place and then compacts it (minutes for a large practice; free disk of about three times its size needed)")
            } else if rebuildsLayout {
                logger.warning("the store is at schema version \(version); upgrading it to \(Schema.migrator.latestVersion) rebuilds its referrals, appointments and scores\(version < Schema.appointmentsByDateVersion ? " (appointments in date order)" : "") with integer referral keys and then compacts it (about four minutes per 1,000,000 clients on 2 cores; free disk of about twice its size needed)")
            }
            if (1..<Schema.progressVersion).contains(version) {
                logger.info("the store is at schema version \(version); upgrading it to \(Schema.migrator.latestVersion) builds each referral's progress row from its attended contacts (about half a minute per 1,000,000 clients on 2 cores)")
            }
            try Schema.migrator.migrate(db)
            if rebuildsLayout { compactAfterUpgrade(from: version) }
            try db.write { db in
                let fingerprint = key.fingerprint
                if let stored = try db.scalarString("SELECT value FROM meta WHERE key = 'key_fingerprint'") {
                    // An editor may add a newline at the end of the key file: the key is then
                    // the file without it (checked against the store, so no other key passes).
                    if stored != fingerprint, let trimmed = try? KeyFile.withoutTrailingNewline(at: configuration.keyFile), trimmed.fingerprint == stored {
                        logger.warning("the key file \(configuration.keyFile) ends with a newline that is not part of the key (an editor added it?); using the key without it. Restore the file from its backup.")
                        key = trimmed
                        return
                    }
                    guard stored == fingerprint else {
                        throw ConfideError(.noPermission, "the store \(configuration.storePath) was created with a different practice key (fingerprint \(stored), this key \(fingerprint)). Use the original key file; pseudonyms from two keys are never mixed.")
                    }
                } else {
                    try db.execute("INSERT INTO meta (key, value) VALUES ('key_fingerprint', ?)", [fingerprint])
                }
            }
            // A purge or an erasure killed after its deletion committed: its bytes go now.
            if try db.scalarString("SELECT value FROM meta WHERE key = 'erasure_pending'") != nil {
                logger.info("removing the bytes of rows an interrupted purge or erasure deleted from the store's files")
                try finishErasure()
            }
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        }
    }

    /// Gives the pages an upgrade to the BLOB-keyed layout freed (the old tables, as large as the
    /// new ones) back to the file system: `VACUUM`, once. The store works without it, so a
    /// failure (a full disk: `VACUUM` needs room for a copy) is a warning, not an error.
    private func compactAfterUpgrade(from version: Int) {
        let started = Date()
        logger.info("upgraded the store from schema version \(version); compacting it once (VACUUM)")
        guard case .sqlite(let db) = engine else { return }
        do {
            try db.eraseDeletedBytes()
            logger.info("compacted the store in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        } catch {
            logger.warning("could not compact the store after the upgrade (\(error)); it works as it is. Run 'sqlite3 \(configuration.storePath) VACUUM' when no run is going and the disk has room for a copy of it.")
        }
    }

    /// Loads the configured source into the store (one transaction).
    ///
    /// - Parameter showsProgress: draw a progress line on standard error for large files when
    ///   it is a terminal.
    public func ingest(showsProgress: Bool = false) throws -> IngestReport {
        let started = Date()
        let ingestor = Ingestor(key: key, timeZone: configuration.timeZone, showsProgress: showsProgress, fileFinished: Self.fileLogger(logger))
        let report = try onStore {
            do {
                switch engine {
                case .sqlite(let db): return try ingestor.ingest(configuration.exportSource, into: db, startedAt: timestamp())
                case .postgres(let db): return try ingestor.ingest(configuration.exportSource, into: db, startedAt: timestamp())
                }
            } catch let error as IngestError {
                throw Self.ingestError(error)
            }
        }
        Self.log(report, since: started, logger: logger)
        return report
    }

    /// Runs `body`, its store failures mapped to their exit codes and messages (``storeError``
    /// for SQLite, ``postgresError`` for PostgreSQL).
    func onStore<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        } catch let error as PostgresError {
            throw postgresError(error)
        }
    }

    /// Logs each file's reconciliation as it finishes (journald sees one line per file).
    static func fileLogger(_ logger: Logger) -> @Sendable (FileReport) -> Void {
        { file in logger.info("ingest \(file.file): read=\(file.read) loaded=\(file.loaded) (new=\(file.inserted) updated=\(file.updated) unchanged=\(file.unchanged)) quarantined=\(file.quarantined) expired=\(file.expired) forgotten=\(file.forgotten)") }
    }

    /// Logs what an ingest's files did after they were loaded: rows that waited, snapshot
    /// warnings and deletions, the time it took.
    static func log(_ report: IngestReport, since started: Date, logger: Logger) {
        report.waiting.forEach(fileLogger(logger))
        for file in report.files {
            if let missing = file.missingFromSnapshot, missing > 0, file.deleted == 0 {
                logger.warning("ingest \(file.file): \(missing) stored rows are not in this snapshot export (kept, not deleted); if exports are deltas set [source] mode = \"delta\", if rows were removed in the practice system set [source] snapshot_deletes = true")
            }
            if file.deleted > 0 { logger.info("ingest \(file.file): deleted \(file.deleted) stored rows this snapshot export no longer holds") }
            if file.replaced > 0 { logger.info("ingest \(file.file): replaced \(file.replaced) stored scores by the export's (re-dated)") }
        }
        logger.info("ingest done in \(seconds(since: started)) s")
    }

    /// The exit code and message of an unusable export.
    static func ingestError(_ error: IngestError) -> ConfideError {
        switch error {
        case .missingFile: ConfideError(.noInput, error.description)
        case .emptyFile, .missingColumn, .undecodable, .badSource: ConfideError(.dataError, error.description)
        case .badMapping: ConfideError(.config, error.description)
        }
    }

    /// Today in the practice's time zone.
    public var today: Day { Day.today(in: configuration.timeZone) }

    /// The budget ledger.
    public func ledgerEntries() throws -> [LedgerEntry] { try onStore { try Ledger(db: store).entries() } }

    /// A client's worst case over the 52 weeks ending with `week` (what a report of `week` states).
    public func rollingEpsilon(endingWith week: ISOWeek) throws -> WindowCharge {
        WindowCharge.of(try ledgerEntries(), from: week.adding(weeks: -51))
    }

    /// A client's worst case over any 52 weeks of the ledger (nil when nothing was charged):
    /// what `epsilon_cap_per_year` is checked against.
    public func worstYear() throws -> WindowCharge? { try onStore { try Ledger(db: store).worstYear() } }

    /// True when `token` is a client, referral or appointment id of the source (checked by
    /// pseudonymising it under the practice key and looking it up in the store).
    public func isSourceIdentifier(_ token: String) -> Bool {
        SourceIdentifierTest(pseudonymizer: pseudonymizer, db: store).isSourceIdentifier(token)
    }

    /// A source-identifier test for one audit, or the audits of one week's publication
    /// (``SourceIdentifierTest``): each distinct token is pseudonymised and looked up once,
    /// under one pseudonymiser. Made afresh for each, so an answer never outlives the store it
    /// was read from (a publication writes no identifier to it).
    public func sourceIdentifierTest() -> (String) -> Bool {
        let test = SourceIdentifierTest(pseudonymizer: pseudonymizer, db: store)
        return { test.isSourceIdentifier($0) }
    }
}

/// Maps a store failure to its exit code: busy is "try later", a full disk or I/O error is 74.
func storeError(_ error: DatabaseError, path: String) -> ConfideError {
    if error.isBusy { return ConfideError(.tryLater, "the store \(path) is busy (another process is writing); try later") }
    if error.isIOFailure { return ConfideError(.ioError, "I/O error on the store \(path): \(error.message). Check free disk space.") }
    return ConfideError(.ioError, "store \(path): \(error.description)")
}

func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
}

func seconds(since start: Date) -> String {
    String(format: "%.2f", Date().timeIntervalSince(start))
}
