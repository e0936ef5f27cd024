public import ConfideModel
public import Logging
public import ConfideIngest
import ConfideStore
import Foundation

/// Which weeks a run publishes.
public enum WeekSelection: Sendable, Equatable {
    /// The last complete ISO week in the practice's time zone.
    case latest
    /// One past week.
    case week(ISOWeek)
    /// Every week from this one to the latest, in order (already published weeks are no-ops).
    case backfill(from: ISOWeek)
}

/// What a whole run did.
public struct RunSummary: Sendable {
    /// The ingest reconciliation.
    public let ingest: IngestReport
    /// One outcome per week.
    public let weeks: [WeekOutcome]
    /// The purge the run made before its ingest (`[retention] purge_on_run`), else nil.
    public var purge: PurgeReport? = nil
}

/// A scheduled run: lock, ingest, then publish the selected weeks. Every run is recorded in
/// the store's run log (`confide runs`).
public enum ScheduledRun {
    /// Runs `selection` for the practice configured at `configuration`.
    ///
    /// - Parameters:
    ///   - wait: wait for another run's lock instead of exiting with code 75.
    ///   - rerelease: re-release weeks whose data changed (charges the budget again).
    ///   - acceptQuality: publish weeks that fail the `[quality]` checks anyway (recorded).
    ///   - purged: called after the purge that `[retention] purge_on_run` makes before the ingest.
    ///   - ingested: called once the export is ingested (before any week).
    ///   - weekFinished: called as each week is published, with its position and the number of
    ///     weeks, so that a person sees each line as it happens.
    public static func run(_ configuration: Configuration, selection: WeekSelection, wait: Bool = false,
                           rerelease: Bool = false, acceptQuality: Bool = false, logger: Logger,
                           purged: ((PurgeReport) -> Void)? = nil,
                           ingested: ((IngestReport) -> Void)? = nil,
                           weekFinished: ((WeekOutcome, Int, Int) -> Void)? = nil) throws -> RunSummary {
        let lock = try RunLock(configuration, wait: wait)
        defer { withExtendedLifetime(lock) {} }
        let workspace = try Workspace(configuration: configuration, logger: logger)
        let runID = try workspace.beginRunLog(command: "run")
        do {
            let selected = try selection.weeks(today: workspace.today)
            // Weeks an interrupted run charged but never published come first (no charge).
            let unfinished = try workspace.releasedButUnpublished().filter { !selected.contains($0) }
            if !unfinished.isEmpty {
                logger.warning("publishing \(unfinished.map(\.description).joined(separator: ", ")) from their stored releases: they were charged by an earlier run that did not publish them")
            }
            let weeks = unfinished + selected
            var purge: PurgeReport?
            if configuration.retention.purgeOnRun {
                try workspace.noteRunStep(runID, "step: purge")
                purge = try workspace.purge()
                purged?(purge!)
            }
            try workspace.noteRunStep(runID, "step: ingest")
            let ingest = try workspace.ingest()
            ingested?(ingest)
            var outcomes: [WeekOutcome] = []
            for week in weeks {
                // What an interrupted run was doing: `confide runs` shows it.
                try workspace.noteRunStep(runID, "step: publish \(week) (after ingest #\(ingest.runID); done: \(outcomes.map { "\($0.period) \($0.status)" }.joined(separator: ", ")))")
                outcomes.append(try workspace.publish(week: week, rerelease: rerelease, quality: ingest, acceptQuality: acceptQuality))
                weekFinished?(outcomes.last!, outcomes.count, weeks.count)
            }
            try workspace.endRunLog(runID, period: weeks.last?.description, status: .ok,
                                    detail: outcomes.map { "\($0.period) \($0.status)" + ($0.qualityAccepted.isEmpty ? "" : " (quality accepted: \($0.qualityAccepted.joined(separator: "; ")))") }.joined(separator: ", "))
            return RunSummary(ingest: ingest, weeks: outcomes, purge: purge)
        } catch let error as ConfideError {
            try? workspace.endRunLog(runID, period: nil, status: error.status, detail: error.message)
            throw error
        }
    }
}

extension WeekSelection {
    /// The weeks to publish, oldest first; refuses weeks that are not yet complete.
    func weeks(today: Day) throws -> [ISOWeek] {
        let latest = ISOWeek.lastComplete(before: today)
        switch self {
        case .latest: return [latest]
        case .week(let week):
            guard week <= latest else {
                throw ConfideError(.usage, "week \(week) is not complete yet; the latest complete week is \(latest)")
            }
            return [week]
        case .backfill(let first):
            guard first <= latest else {
                throw ConfideError(.usage, "backfill start \(first) is after the latest complete week \(latest)")
            }
            var weeks: [ISOWeek] = []
            var week = first
            while week <= latest, weeks.count < 520 { weeks.append(week); week = week.next }
            return weeks
        }
    }
}

/// One row of the run log.
public struct RunRecord: Sendable, Codable {
    /// The run's number.
    public let runID: Int
    /// When it started (UTC).
    public let started: String
    /// When it ended, or nil when it was interrupted or is still running.
    public let finished: String?
    /// The command.
    public let command: String
    /// The last period it worked on.
    public let period: String?
    /// `ok`, an error name, or `interrupted`.
    public let outcome: String
    /// Its exit code.
    public let exitCode: Int
    /// What it did or why it failed (no data values).
    public let detail: String
}

extension Workspace {
    func beginRunLog(command: String) throws -> Int {
        try onStore { try RunLog.begin(command, in: store) }
    }

    /// Records what the run is doing now (its detail until it ends), so that a killed run's
    /// log line says where it stopped.
    func noteRunStep(_ runID: Int, _ step: String) throws {
        try onStore { try store.writeTransaction { db in try db.execute("UPDATE runs SET detail = ? WHERE run_id = ?", [step, runID]) } }
    }

    /// `confide ingest` on the configured store, SQLite or PostgreSQL, recorded in its run log.
    /// On PostgreSQL it takes the run lock first: two `SERIALIZABLE` ingests at once would
    /// only conflict (on SQLite `BEGIN IMMEDIATE` keeps a second writer waiting).
    ///
    /// - Throws: ``ConfideError`` with the exit code of each failure (docs/operations.md).
    public static func loggedIngest(_ configuration: Configuration, logger: Logger, showsProgress: Bool = false) throws -> IngestReport {
        let lock = configuration.storeURL == nil ? nil : try RunLock(configuration, wait: false)
        defer { withExtendedLifetime(lock) {} }
        return try Workspace(configuration: configuration, logger: logger).loggedIngest(showsProgress: showsProgress)
    }

    /// Ingests as `confide ingest` does, recorded in the run log (`confide runs`) with the
    /// ingest's number, so the `run_id` of `ingest --json` is findable there.
    public func loggedIngest(showsProgress: Bool = false) throws -> IngestReport {
        try logged("ingest", RunLog.ingestDetail) { try ingest(showsProgress: showsProgress) }
    }

    /// Runs `body` recorded in the run log as `command`: its detail when it ends well (counts,
    /// never a value), or the error's status and message.
    func logged<T>(_ command: String, _ detail: (T) -> String, _ body: () throws -> T) throws -> T {
        let runID = try beginRunLog(command: command)
        do {
            let result = try body()
            try endRunLog(runID, period: nil, status: .ok, detail: detail(result))
            return result
        } catch let error as ConfideError {
            try? endRunLog(runID, period: nil, status: error.status, detail: error.message)
            throw error
        }
    }

    func endRunLog(_ runID: Int, period: String?, status: ExitStatus, detail: String) throws {
        try onStore { try RunLog.end(runID, period: period, status: status, detail: detail, in: store) }
    }
}

/// The store's run log (`runs`, `confide runs`) on either engine.
enum RunLog {
    /// Records that `command` started; returns its number.
    static func begin(_ command: String, in db: any SQLConnection) throws -> Int {
        try db.writeTransaction { db in
            try db.fetch("INSERT INTO runs (started, command, outcome, exit_code, detail) VALUES (?, ?, 'running', -1, '') RETURNING run_id",
                         [timestamp(), command]) { $0.int(0) }[0]
        }
    }

    /// Records how run `runID` ended: its status and what it did or why it failed.
    static func end(_ runID: Int, period: String?, status: ExitStatus, detail: String, in db: any SQLConnection) throws {
        try db.writeTransaction { db in
            try db.execute("UPDATE runs SET finished = ?, period = coalesce(?, period), outcome = ?, exit_code = ?, detail = ? WHERE run_id = ?",
                           [timestamp(), period, status == .ok ? "ok" : "\(status)", Int(status.rawValue), detail, runID])
        }
    }

    /// An ingest's line in the run log: its number and counts.
    static func ingestDetail(_ report: IngestReport) -> String {
        let read = report.files.map(\.read).reduce(0, +), quarantined = report.files.map(\.quarantined).reduce(0, +)
        return "ingest #\(report.runID): read \(read), quarantined \(quarantined)"
    }
}
