public import ConfideIngest
import ConfidePostgres
import Foundation
public import Logging

extension Workspace {
    /// `confide ingest` on the configured store, SQLite or PostgreSQL, recorded in its run log.
    ///
    /// - Throws: ``ConfideError`` with the exit code of each failure (docs/operations.md).
    public static func loggedIngest(_ configuration: Configuration, logger: Logger, showsProgress: Bool = false) throws -> IngestReport {
        guard let location = configuration.storeURL else {
            return try Workspace(configuration: configuration, logger: logger).loggedIngest(showsProgress: showsProgress)
        }
        return try PostgresStore.loggedIngest(into: location, configuration: configuration, logger: logger, showsProgress: showsProgress)
    }
}

extension PostgresStore {
    /// Ingests the configured exports into the PostgreSQL store at `location`, as
    /// ``Workspace/loggedIngest(showsProgress:)`` does into SQLite: under the run lock (exit 75 at
    /// once when a run holds it), after the store and the key are checked, in one transaction,
    /// recorded in the store's run log.
    static func loggedIngest(into location: PostgresLocation, configuration: Configuration, logger: Logger,
                             showsProgress: Bool) throws -> IngestReport {
        let lock = try RunLock(configuration, wait: false)
        defer { withExtendedLifetime(lock) {} }
        let key = try checkedKey(location, configuration: configuration)
        let started = Date()
        do {
            let db = try PostgresConnection(location)
            let runID = try RunLog.begin("ingest", in: db)
            do {
                let report = try Ingestor(key: key, timeZone: configuration.timeZone, showsProgress: showsProgress,
                                          fileFinished: Workspace.fileLogger(logger))
                    .ingest(configuration.exportSource, into: db, startedAt: timestamp())
                Workspace.log(report, since: started, logger: logger)
                try RunLog.end(runID, period: nil, status: .ok, detail: RunLog.ingestDetail(report), in: db)
                return report
            } catch {
                let failure: ConfideError
                switch error {
                case let error as IngestError: failure = Workspace.ingestError(error)
                case let error as PostgresError: failure = postgresError(error)
                case let error as ConfideError: failure = error
                default: throw error
                }
                // A broken connection cannot record the end: the run log shows it interrupted.
                try? RunLog.end(runID, period: nil, status: failure.status, detail: failure.message, in: db)
                throw failure
            }
        } catch let error as PostgresError {
            throw postgresError(error)
        }
    }
}
