public import ConfideModel
public import ConfideIngest
import ConfideMetrics
import ConfidePostgres
import ConfidePrivacy
import ConfideRelease
import ConfidePublish
import ConfideStore
import Foundation
import Logging

extension Workspace {
    /// Publishes `week`: computes the exact figures, reuses the stored release or draws and
    /// charges a new one (in one transaction), renders, audits and publishes atomically.
    ///
    /// - Parameter rerelease: when the week's data changed since its release, draw and charge
    ///   again instead of publishing the stored values.
    /// - Parameters:
    ///   - quality: the ingest this run made: when given, a week to be drawn must first pass the
    ///     `[quality]` checks (``QualityGate``), else nothing is charged or published (exit 65).
    ///   - acceptQuality: publish a week that fails them anyway, recording the failures in the
    ///     manifest (`quality_accepted`) and the run log.
    public func publish(week: ISOWeek, rerelease: Bool = false, quality report: IngestReport? = nil,
                        acceptQuality: Bool = false) throws -> WeekOutcome {
        let started = Date()
        do {
            let settings = configuration.metrics
            let outcomeWeeks = configuration.privacy.mode == .sdc ? settings.outcomeWindowWeeks : 1
            let exact = try figures.compute(week: week, outcomeWeeks: outcomeWeeks)
            logger.info("metrics \(week): \(exact.tables.map { "\($0.name.rawValue) \($0.cells.count) cells" }.joined(separator: ", ")) in \(seconds(since: started)) s")
            let dataHash = key.authenticationCode(for: exact.canonicalBytes)
            let releases = ReleaseStore(db: store)
            // The leak audits of this week's files (before the charge, then of the staged
            // folder) share one test: the same tokens, looked up once.
            let identifiers = sourceIdentifierTest()
            let stored = try releases.find(week)
            var charged = 0.0
            var qualityAccepted: [String] = []
            let release: ProtectedRelease
            // A week released before a purge or an erasure keeps its release: its figures are
            // never drawn again from a store that no longer holds every row they counted.
            let frozen = try stored != nil && drawnBeforeErasure(week.description)
            if let stored, stored.dataHash == dataHash || !rerelease || frozen {
                release = stored.release
                if stored.dataHash != dataHash, frozen {
                    logger.warning("the data of \(week) changed since it was released, and rows were purged or erased after it; publishing the stored release (a week released before a purge or an erasure is never drawn again, even with --rerelease)")
                } else if stored.dataHash != dataHash, stored.release.definitionVersion != exact.definitionVersion {
                    logger.warning("the metric definitions changed since \(week) was released (\(stored.release.definitionVersion), now \(exact.definitionVersion)); publishing the stored release. Pass --rerelease to release it with today's definitions (charges the budget).")
                } else if stored.dataHash != dataHash {
                    logger.warning("the data of \(week) changed since it was released; publishing the stored release. Pass --rerelease to release it again (charges the budget).")
                }
            } else {
                if let report {
                    let failures = try QualityGate(db: store, settings: configuration.quality).failures(week: week, report: report, today: today)
                    if !failures.isEmpty {
                        guard acceptQuality else {
                            throw ConfideError(.dataError, "quality checks failed for \(week); nothing was charged or published:\n  - " + failures.joined(separator: "\n  - ") + "\nFix the export and run again, or pass --accept-quality to publish anyway (recorded in the manifest and the run log).")
                        }
                        logger.warning("quality checks failed for \(week), published anyway (--accept-quality): \(failures.joined(separator: "; "))")
                        qualityAccepted = failures
                    }
                }
                try checkPublishFolder(week)
                let history = try releases.history(before: week, weeks: settings.outcomeWindowWeeks - 1)
                release = try drawRelease(exact, history: history, week: week, dataHash: dataHash, note: stored == nil ? "release" : "rerelease") {
                    try self.folder($0, supervision: nil, week: week, releases: releases, qualityAccepted: qualityAccepted)
                        .preflight(isSourceIdentifier: identifiers)
                }
                charged = release.charge.worstCase
            }
            logger.info("protect \(week): mode=\(release.mode.rawValue) epsilon=\(release.epsilon) suppressed=\(release.suppressedCount)/\(release.cells.count)")
            let supervision = try supervisionRelease(closedBy: week, rerelease: rerelease) {
                try self.folder(release, supervision: $0, caseLists: $1, week: week, releases: releases, qualityAccepted: qualityAccepted)
                    .preflight(isSourceIdentifier: identifiers)
            }
            charged += supervision?.charged ?? 0
            // "republished" only for a folder that was there before (a stored release whose
            // publication failed or was interrupted is "published" when it first appears).
            let existed = FileManager.default.fileExists(atPath: configuration.publishDir + "/" + week.description)
            let outcome = try render(release, supervision: supervision?.release, caseLists: supervision?.caseLists ?? [], week: week,
                                     releases: releases, qualityAccepted: qualityAccepted, identifiers: identifiers)
            let written = switch outcome { case .published(let path): "published \(path)"; case .unchanged(let path): "unchanged \(path)" }
            logger.info("publish \(week): \(written) in \(seconds(since: started)) s")
            let (path, status): (String, String) = switch outcome {
            case .published(let path): (path, stored == nil || charged > 0 || !existed ? "published" : "republished")
            case .unchanged(let path): (path, "unchanged")
            }
            let changed = stored != nil && stored!.dataHash != dataHash && (!rerelease || frozen)
            return WeekOutcome(period: week.description, path: path, status: status, epsilonCharged: charged,
                               supervisionPeriod: supervision?.release.period, qualityAccepted: qualityAccepted,
                               dataChangedSinceRelease: changed,
                               releasedDefinitions: changed && release.definitionVersion != exact.definitionVersion ? release.definitionVersion : nil)
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        } catch let error as PostgresError {
            throw postgresError(error)
        } catch let error as PublishError {
            switch error {
            case .auditFailed: throw ConfideError(.auditFailed, error.description)
            case .cannotWrite(_, let code): throw ConfideError(code == ENOSPC || code == EIO ? .ioError : .cannotCreate, error.description)
            }
        }
    }

    /// The therapist release of the supervision period `week` closes (nil when it closes none):
    /// the stored one, or a fresh draw stored and charged like a week's, and what was charged;
    /// with the period's case lists (``caseLists(_:)``), made with a fresh draw and stored in its
    /// transaction, or those stored with it.
    private func supervisionRelease(closedBy week: ISOWeek, rerelease: Bool,
                                    preflight: (ProtectedRelease, [ProtectedCaseList]) throws -> Void) throws
        -> (release: ProtectedRelease, caseLists: [ProtectedCaseList], charged: Double)? {
        let weeks = configuration.metrics.supervisionPeriodWeeks
        let period = SupervisionPeriod(containing: week, weeks: weeks)
        guard period.isClosed(by: week) else { return nil }
        let started = Date()
        // dp: the period's own finished courses (the 52-week window is summed from period
        // releases); sdc: the 52 weeks, exactly.
        let outcomeWeeks = configuration.privacy.mode == .sdc ? 52 : period.weekCount
        let exact = try figures.compute(period: period, outcomeWeeks: outcomeWeeks)
        let dataHash = key.authenticationCode(for: exact.canonicalBytes)
        let releases = ReleaseStore(db: store)
        let stored = try releases.find(period)
        if let stored, try stored.dataHash == dataHash || !rerelease || drawnBeforeErasure(period.description) {
            if stored.dataHash != dataHash {
                logger.warning("the data of supervision period \(period) changed since it was released; publishing the stored release. Pass --rerelease to release it again (charges the budget).")
            }
            return (stored.release, try releases.caseLists(period), 0)
        }
        let history = try releases.history(before: period, periods: 52 / weeks - 1)
        let lists = configuration.caseLists ? try caseLists(period) : []
        let release = try drawRelease(exact, history: history, week: week, dataHash: dataHash, note: stored == nil ? "release" : "rerelease",
                                      preflight: { try preflight($0, lists) },
                                      alsoStore: { try ReleaseStore(db: $0).save(caseLists: lists, period: period, created: $1) })
        logger.info("supervision \(period): mode=\(release.mode.rawValue) epsilon=\(release.epsilon) suppressed=\(release.suppressedCount)/\(release.cells.count) in \(seconds(since: started)) s")
        if configuration.caseLists {
            logger.info("case lists \(period): \(lists.count) therapists, \(lists.map(\.rows.count).reduce(0, +)) rows, \(lists.map(\.suppressed).reduce(0, +)) suppressed, k=\(configuration.caseListSettings.k) l=\(configuration.caseListSettings.l)")
        }
        return (release, lists, release.charge.worstCase)
    }

    /// Each therapist's protected case list of `period` (``CaseListProtection``), from the
    /// exact cases of the store; codes under the case-code key (``CaseCodes``).
    func caseLists(_ period: SupervisionPeriod) throws -> [ProtectedCaseList] {
        let cases = try figures.cases(period: period)
        let codes = CaseCodes(practiceKey: key, stable: configuration.stableCaseCodes)
        let protection = CaseListProtection(settings: configuration.caseListSettings)
        return Dictionary(grouping: cases, by: \.therapist).sorted { $0.key < $1.key }.map { therapist, own in
            protection.protect(own, therapist: therapist, period: period) { codes.code(referral: $0.referral, period: period) }
        }
    }

    /// Weeks released (stored and charged) whose folder is not in the reports folder: a run
    /// interrupted between the charge and the publication, or a publication that failed. A
    /// plain run publishes them from their stored values, charging nothing.
    public func releasedButUnpublished() throws -> [ISOWeek] {
        try onStore { try ReleaseStore(db: store).releasedWeeks() }.filter {
            !FileManager.default.fileExists(atPath: configuration.publishDir + "/" + $0.description + "/manifest.json")
        }
    }

    /// What a backfill from `first` would release: the weeks not yet released, the supervision
    /// periods they close, the most it could charge one client in all (each new week's state ε
    /// and one event of each kind, each new period's likewise: `WeekOutcome.epsilonCharged`
    /// summed), and one client's worst case over any 52 weeks once it is done: the ledger's
    /// entries plus the new releases' charges (a release's charge depends on its slots, not its
    /// data, so the first new week's and period's stand for all), through ``WindowCharge``.
    public func backfillPreview(from first: ISOWeek) throws -> BackfillPreview {
        let weeks = try WeekSelection.backfill(from: first).weeks(today: today)
        let stored = Set(try onStore { try ReleaseStore(db: store).releasedWeeks() })
        let new = weeks.filter { !stored.contains($0) }
        let privacy = configuration.privacy
        var entries = try ledgerEntries()
        let now = WindowCharge.worst(entries)?.total ?? 0
        guard privacy.mode == .dp, let sample = new.first else {
            return BackfillPreview(weeks: weeks, new: new, periods: 0, epsilon: 0, worstNow: now, worstAfter: now)
        }
        let closing = new.filter { SupervisionPeriod(containing: $0, weeks: privacy.supervisionPeriodWeeks).isClosed(by: $0) }
        let protector = Protector(settings: privacy)
        let metrics = figures
        let weekly = protector.charge(try metrics.compute(week: sample, outcomeWeeks: 1))
        var epsilon = Double(new.count) * weekly.worstCase
        for week in new { entries.append(Ledger.entry(week, weekly, delta: 0, created: "")) }
        if let last = closing.first {
            let sampled = SupervisionPeriod(containing: last, weeks: privacy.supervisionPeriodWeeks)
            let period = protector.charge(try metrics.compute(period: sampled, outcomeWeeks: sampled.weekCount))
            epsilon += Double(closing.count) * period.worstCase
            for week in closing {
                entries.append(Ledger.entry(week, supervision: SupervisionPeriod(containing: week, weeks: privacy.supervisionPeriodWeeks), period,
                                            delta: 0, created: ""))
            }
        }
        return BackfillPreview(weeks: weeks, new: new, periods: closing.count, epsilon: epsilon, worstNow: now,
                               worstAfter: WindowCharge.worst(entries)?.total ?? now)
    }

    /// Draws the noise once, stores the release and charges the ledger in one transaction.
    /// The cap is checked first against a client's worst case over every 52-week window that
    /// contains the week, this release's charge included (``WindowCharge``).
    /// `preflight` (the leak audit of the files the release would be published in) runs before
    /// the release is stored and charged: when it throws, the transaction rolls back and nothing
    /// is charged (the discarded draw was never stored or shown).
    private func drawRelease(_ exact: ExactRelease, history: [ProtectedRelease], week: ISOWeek, dataHash: String, note: String,
                             preflight: (ProtectedRelease) throws -> Void,
                             alsoStore: (any SQLConnection, String) throws -> Void = { _, _ in }) throws -> ProtectedRelease {
        let protector = Protector(settings: configuration.privacy)
        let charge = protector.charge(exact)
        let cap = configuration.epsilonCapPerYear
        return try store.writeTransaction { db in
            let ledger = Ledger(db: db)
            if charge.worstCase > 0 {
                let worst = try ledger.worstWindow(containing: week, supervision: exact.supervision, adding: charge)
                guard worst.total <= cap + 1e-9 else {
                    throw ConfideError(.budgetExhausted, "releasing \(exact.supervision.map { "supervision period \($0)" } ?? week.description) would let one client's ε reach \(decimalText(worst.total)) in the 52 weeks from \(worst.first) (\(decimalText(worst.perRelease)) weekly figures, \(decimalText(worst.perEvent)) referral events), over the cap of \(decimalText(cap)) ([privacy] epsilon_cap_per_year). Nothing was published.")
                }
            }
            var sampler = ExactSampler(source: SystemRandomNumberGenerator())
            let release = protector.protect(exact, history: history, sampler: &sampler)
            try preflight(release)
            let created = timestamp()
            if let period = exact.supervision {
                try ReleaseStore(db: db).save(release, period: period, dataHash: dataHash, created: created)
                try alsoStore(db, created)
            } else {
                try ReleaseStore(db: db).save(release, period: week, dataHash: dataHash, created: created)
            }
            try ledger.charge(period: week, supervision: exact.supervision, charge: release.charge, delta: configuration.privacy.delta,
                              created: created, note: note)
            return release
        }
    }

    /// Renders and publishes the week's folder from the protected release and the releases
    /// before it (``WeekFolder``).
    private func render(_ release: ProtectedRelease, supervision: ProtectedRelease?, caseLists: [ProtectedCaseList], week: ISOWeek,
                        releases: ReleaseStore, qualityAccepted: [String], identifiers: @escaping (String) -> Bool) throws -> PublishOutcome {
        try folder(release, supervision: supervision, caseLists: caseLists, week: week, releases: releases, qualityAccepted: qualityAccepted)
            .publish(root: configuration.publishDir, isSourceIdentifier: identifiers)
    }

    /// The week's folder of `release` (and the supervision period's, if any).
    private func folder(_ release: ProtectedRelease, supervision: ProtectedRelease?, caseLists: [ProtectedCaseList] = [], week: ISOWeek,
                        releases: ReleaseStore, qualityAccepted: [String]) throws -> WeekFolder {
        let context = ReportContext(
            practiceName: configuration.practiceName, history: try releases.history(before: week, weeks: 25),
            rollingEpsilon: decimalText(try rollingEpsilon(endingWith: week).total), epsilonCap: decimalText(configuration.epsilonCapPerYear),
            toolVersion: confideVersion)
        return WeekFolder(release: release, supervision: supervision, caseLists: caseLists, context: context, configurationHash: configuration.sha256,
                          qualityAccepted: qualityAccepted)
    }

    /// Checks, before anything is drawn or charged, that the week can be published: the reports
    /// folder exists or can be created and is writable, and no file stands where the week's
    /// folder goes (exit 73 naming the path).
    private func checkPublishFolder(_ week: ISOWeek) throws {
        let files = FileManager.default
        let root = configuration.publishDir
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: root, isDirectory: &isFolder), !isFolder.boolValue {
            throw ConfideError(.cannotCreate, "[publish] dir \(root) is a file, not a folder; nothing was charged or published")
        }
        do { try files.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            throw ConfideError(.cannotCreate, "cannot create the reports folder \(root) ([publish] dir): \(error.localizedDescription); nothing was charged or published")
        }
        guard access(root, W_OK | X_OK) == 0 else {
            throw ConfideError(.cannotCreate, "the reports folder \(root) ([publish] dir) is not writable by this user; nothing was charged or published. Fix its permissions and run again.")
        }
        let target = root + "/" + week.description
        if files.fileExists(atPath: target, isDirectory: &isFolder), !isFolder.boolValue {
            throw ConfideError(.cannotCreate, "\(target) is a file where the week's folder goes; move it away. Nothing was charged or published.")
        }
    }
}

/// What `run --backfill` would do (``Workspace/backfillPreview(from:)``).
public struct BackfillPreview: Sendable {
    /// Every week of the backfill, oldest first.
    public let weeks: [ISOWeek]
    /// The weeks not yet released.
    public let new: [ISOWeek]
    /// Supervision periods the new weeks close.
    public let periods: Int
    /// The most the new releases can charge one client in all.
    public let epsilon: Double
    /// One client's worst case over any 52 weeks now.
    public let worstNow: Double
    /// One client's worst case over any 52 weeks once the backfill is done (if no week is refused).
    public let worstAfter: Double
}
