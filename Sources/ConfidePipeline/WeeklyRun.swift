public import ConfideModel
import ConfideIngest
import ConfideMetrics
import ConfidePrivacy
import ConfidePublish
import ConfideStore
import Foundation
import Logging

/// What happened to one week.
public struct WeekOutcome: Sendable, Equatable {
    /// The ISO week.
    public let period: String
    /// The published folder.
    public let path: String
    /// `published` (new files), `unchanged` (already published, byte for byte) or
    /// `republished` (the stored release rendered again).
    public let status: String
    /// ε charged by this run (0 when the stored release was reused).
    public let epsilonCharged: Double
    /// True when the data behind an already released week changed since its release.
    public let dataChangedSinceRelease: Bool
    /// The metric definitions (`definition_version`) the stored release was computed with,
    /// when they differ from this version's: its exact figures differ for that reason alone.
    public var releasedDefinitions: String? = nil
}

/// The version printed in reports and manifests.
public let confideVersion = "0.1.0"

extension Workspace {
    /// Publishes `week`: computes the exact figures, reuses the stored release or draws and
    /// charges a new one (in one transaction), renders, audits and publishes atomically.
    ///
    /// - Parameter rerelease: when the week's data changed since its release, draw and charge
    ///   again instead of publishing the stored values.
    public func publish(week: ISOWeek, rerelease: Bool = false) throws -> WeekOutcome {
        let started = Date()
        do {
            let settings = configuration.metrics
            let outcomeWeeks = configuration.privacy.mode == .sdc ? settings.outcomeWindowWeeks : 1
            let exact = try WeeklyMetrics(db: db, settings: settings).compute(week: week, outcomeWeeks: outcomeWeeks)
            logger.info("metrics \(week): \(exact.tables.map { "\($0.name.rawValue) \($0.cells.count) cells" }.joined(separator: ", ")) in \(seconds(since: started)) s")
            let dataHash = key.authenticationCode(for: exact.canonicalBytes)
            let releases = ReleaseStore(db: db)
            let stored = try releases.find(week)
            var charged = 0.0
            let release: ProtectedRelease
            if let stored, stored.dataHash == dataHash || !rerelease {
                release = stored.release
                if stored.dataHash != dataHash, stored.release.definitionVersion != exact.definitionVersion {
                    logger.warning("the metric definitions changed since \(week) was released (\(stored.release.definitionVersion), now \(exact.definitionVersion)); publishing the stored release. Pass --rerelease to release it with today's definitions (charges the budget).")
                } else if stored.dataHash != dataHash {
                    logger.warning("the data of \(week) changed since it was released; publishing the stored release. Pass --rerelease to release it again (charges the budget).")
                }
            } else {
                let history = try releases.history(before: week, weeks: settings.outcomeWindowWeeks - 1)
                release = try drawRelease(exact, history: history, week: week, dataHash: dataHash, note: stored == nil ? "release" : "rerelease")
                charged = release.mode == .dp ? configuration.privacy.epsilonPerRelease.value : 0
            }
            logger.info("protect \(week): mode=\(release.mode.rawValue) epsilon=\(release.epsilon) suppressed=\(release.suppressedCount)/\(release.cells.count)")
            let outcome = try render(release, week: week, releases: releases)
            logger.info("publish \(week): \(outcome) in \(seconds(since: started)) s")
            let (path, status): (String, String) = switch outcome {
            case .published(let path): (path, stored == nil || charged > 0 ? "published" : "republished")
            case .unchanged(let path): (path, "unchanged")
            }
            let changed = stored != nil && stored!.dataHash != dataHash && !rerelease
            return WeekOutcome(period: week.description, path: path, status: status, epsilonCharged: charged,
                               dataChangedSinceRelease: changed,
                               releasedDefinitions: changed && release.definitionVersion != exact.definitionVersion ? release.definitionVersion : nil)
        } catch let error as DatabaseError {
            throw storeError(error, path: configuration.storePath)
        } catch let error as PublishError {
            switch error {
            case .auditFailed: throw ConfideError(.auditFailed, error.description)
            case .cannotWrite(_, let code): throw ConfideError(code == ENOSPC || code == EIO ? .ioError : .cannotCreate, error.description)
            }
        }
    }

    /// Draws the noise once, stores the release and charges the ledger in one transaction.
    private func drawRelease(_ exact: ExactRelease, history: [ProtectedRelease], week: ISOWeek, dataHash: String, note: String) throws -> ProtectedRelease {
        let protector = Protector(settings: configuration.privacy)
        let epsilon = protector.chargedEpsilon?.value ?? 0
        let cap = configuration.epsilonCapPerYear
        return try db.write { db in
            let ledger = Ledger(db: db)
            if epsilon > 0 {
                let worst = try ledger.worstWindow(containing: week, adding: epsilon)
                guard worst <= cap + 1e-9 else {
                    throw ConfideError(.budgetExhausted, "releasing \(week) would spend ε \(format(worst)) in a 52-week window, over the cap of \(format(cap)) ([privacy] epsilon_cap_per_year). Nothing was published.")
                }
            }
            var sampler = ExactSampler(source: SystemRandomNumberGenerator())
            let release = protector.protect(exact, history: history, sampler: &sampler)
            let created = timestamp()
            try ReleaseStore(db: db).save(release, period: week, dataHash: dataHash, created: created)
            try ledger.charge(period: week, epsilon: epsilon, delta: configuration.privacy.delta, created: created, note: note)
            return release
        }
    }

    private func render(_ release: ProtectedRelease, week: ISOWeek, releases: ReleaseStore) throws -> PublishOutcome {
        let history = try releases.history(before: week, weeks: 25)
        let context = ReportContext(
            practiceName: configuration.practiceName, history: history,
            rollingEpsilon: format(try rollingEpsilon(endingWith: week)), epsilonCap: format(configuration.epsilonCapPerYear),
            toolVersion: confideVersion)
        var files: [(String, String)] = [
            ("weekly-report.html", HTMLReport.render(release, context: context)),
            ("weekly-report.md", MarkdownReport.render(release, context: context)),
            ("caseload.csv", CSVExport.render(release.cells(in: "caseload"), of: release)),
            ("outcomes.csv", CSVExport.render(release.cells(in: "outcomes"), of: release)),
        ]
        let recent = Array((history + [release]).suffix(13))
        let therapists = Set(release.cells.filter { $0.groupType == "therapist" }.map(\.group))
        let supervisionNames = SupervisionFileNames(therapists: therapists)
        for therapist in therapists.sorted() {
            let rows = recent.flatMap { r in r.cells.filter { $0.groupType == "therapist" && $0.group == therapist }.map { (r, $0) } }
            files.append((supervisionNames.path(of: therapist), CSVExport.render(rows)))
        }
        // The data window as ISO weeks: an exact first date would be one client's referral date.
        let first = try db.scalarString("SELECT MIN(received_date) FROM referrals").flatMap { Day(iso: $0) }.map { ISOWeek(containing: $0) }
        let window = (first?.description ?? week.description, week.description)
        files.append(("manifest.json", Manifest.render(release, toolVersion: confideVersion, configurationHash: configuration.sha256,
                                                       dataWindow: window, files: files.map(\.0) + ["manifest.json"])))
        let allowed = Set(recent.flatMap { [$0.periodStart, $0.periodEnd] })
        let audit = LeakAudit(allowedDates: allowed, isSourceIdentifier: { self.isSourceIdentifier($0) })
        let publisher = Publisher(root: configuration.publishDir)
        let outcome = try publisher.publish(folder: week.description, files: files, audit: audit)
        let weeks = publisher.publishedFolders()
        try publisher.replaceFile("index.html", content: ReportIndex.render(practiceName: configuration.practiceName, weeks: weeks))
        if let newest = weeks.last { try publisher.replaceLink("latest", target: newest) }
        return outcome
    }
}

func format(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
