import ConfideModel
public import ConfideRelease

/// One week's published folder, assembled from protected releases only: the weekly report
/// (HTML and Markdown), the long-format exports and the manifest; when the week closes a
/// supervision period, also that period's therapist rows in the exports and one supervision
/// export per therapist. Audited, published atomically, then the reports index and `latest`
/// link renewed.
///
/// The pipeline hands it the week's release and the period's (fresh from `Protector` or
/// restored from the store) and the releases before it; nothing else it shows comes from the data.
public struct WeekFolder {
    /// The release of the week.
    public let release: ProtectedRelease
    /// The therapist release of the supervision period the week closes, if any.
    public let supervision: ProtectedRelease?
    /// The practice name, earlier releases, budget figures and tool version.
    public let context: ReportContext
    /// SHA-256 of the configuration file, recorded in the manifest.
    public let configurationHash: String

    /// The `[quality]` checks the week failed and was published despite (`--accept-quality`),
    /// recorded in the manifest.
    public let qualityAccepted: [String]

    /// The de-identified case lists of the supervision period, one per therapist (empty unless
    /// `[supervision] case_lists` is on).
    public let caseLists: [ProtectedCaseList]

    /// Creates the folder of `release`, with the therapist rows of `supervision` and its case lists.
    public init(release: ProtectedRelease, supervision: ProtectedRelease? = nil, caseLists: [ProtectedCaseList] = [], context: ReportContext,
                configurationHash: String, qualityAccepted: [String] = []) {
        self.qualityAccepted = qualityAccepted
        self.caseLists = caseLists
        self.release = release
        self.supervision = supervision
        self.context = context
        self.configurationHash = configurationHash
    }

    /// Every file of the folder (path relative to it, content), the manifest last.
    ///
    /// A week's release made before supervision periods may still hold therapist cells: they
    /// stay in its exports as released, and its supervision files are built from them.
    public var files: [(path: String, content: String)] {
        let periodRows = supervision.map { s in s.cells.map { (s, $0) } } ?? []
        func rows(_ table: TableName) -> [(ProtectedRelease, ProtectedCell)] {
            release.cells(in: table).map { (release, $0) } + periodRows.filter { $0.1.table == table }
        }
        var files: [(path: String, content: String)] = [
            ("weekly-report.html", HTMLReport.render(release, supervision: supervision, caseLists: caseLists, context: context)),
            ("weekly-report.md", MarkdownReport.render(release, supervision: supervision, caseLists: caseLists, context: context)),
            ("caseload.csv", CSVExport.render(rows(.caseload))),
            ("outcomes.csv", CSVExport.render(rows(.outcomes))),
        ]
        let therapistRows = periodRows.filter { $0.1.groupType == .therapist }
            + (supervision == nil ? release.cells.filter { $0.groupType == .therapist }.map { (release, $0) } : [])
        let names = SupervisionFileNames(therapists: therapistRows.map(\.1.group) + caseLists.map(\.therapist))
        for therapist in Set(therapistRows.map(\.1.group)).sorted() {
            files.append((names.path(of: therapist), CSVExport.render(therapistRows.filter { $0.1.group == therapist })))
        }
        var caseListEntries: [[String: Any]] = []
        for list in caseLists.sorted(by: { $0.therapist < $1.therapist }) {
            let path = names.casesPath(of: list.therapist)
            files.append((path, CaseListExport.render(list)))
            caseListEntries.append(CaseListExport.manifestEntry(list, file: path))
        }
        files.append(("manifest.json", Manifest.render(release, supervision: supervision, caseLists: caseListEntries, qualityAccepted: qualityAccepted,
                                                       toolVersion: context.toolVersion, configurationHash: configurationHash,
                                                       files: files.map(\.path) + ["manifest.json"])))
        return files
    }

    /// The dates the folder may show: the period boundaries of the week, the weeks its report
    /// charts, and the supervision period and windows.
    var allowedDates: Set<String> {
        var dates = Set(([release] + context.history).flatMap { [$0.periodStart, $0.periodEnd] })
        if let supervision {
            dates.formUnion([supervision.periodStart, supervision.periodEnd] + TableName.allCases.map { supervision.periodStart(of: $0) })
        }
        for table in TableName.allCases { dates.insert(release.periodStart(of: table)) }
        return dates
    }

    /// The leak audit of the folder's files as rendered, before anything is written or charged:
    /// the same rules as the audit of the staged folder (``publish(root:isSourceIdentifier:)``),
    /// without the manifest invariants, which need the files on disk.
    ///
    /// - Throws: ``PublishError/auditFailed(_:)`` with the findings.
    public func preflight(isSourceIdentifier: ((String) -> Bool)?) throws {
        let audit = LeakAudit(allowedDates: allowedDates, isSourceIdentifier: isSourceIdentifier)
        let findings = files.flatMap { audit.scan(text: $0.content, file: $0.path) }
        guard findings.isEmpty else { throw PublishError.auditFailed(findings) }
    }

    /// Publishes the folder as `<root>/<period>/` after the leak audit (``LeakAudit``, with
    /// `isSourceIdentifier` for the source-identifier rule), then renews `<root>/index.html`
    /// and the `latest` link.
    ///
    /// - Throws: ``PublishError`` when the audit finds anything or a file cannot be written;
    ///   nothing of this week is then published.
    public func publish(root: String, isSourceIdentifier: ((String) -> Bool)?) throws -> PublishOutcome {
        let audit = LeakAudit(allowedDates: allowedDates, isSourceIdentifier: isSourceIdentifier)
        let publisher = Publisher(root: root)
        let outcome = try publisher.publish(folder: release.period, files: files.map { ($0.path, $0.content) }, audit: audit)
        let weeks = publisher.publishedFolders()
        try publisher.replaceFile("index.html", content: ReportIndex.render(practiceName: context.practiceName, weeks: weeks))
        if let newest = weeks.last { try publisher.replaceLink("latest", target: newest) }
        return outcome
    }
}
