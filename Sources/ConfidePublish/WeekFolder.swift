import ConfideModel
public import ConfideRelease

/// One week's published folder, assembled from a protected release only: the weekly report
/// (HTML and Markdown), the long-format exports, one supervision export per therapist and the
/// manifest; audited, published atomically, then the reports index and `latest` link renewed.
///
/// The pipeline hands it a release (fresh from `Protector` or restored from the store) and the
/// releases before it; nothing else it shows comes from the data.
public struct WeekFolder {
    /// The release of the week.
    public let release: ProtectedRelease
    /// The practice name, earlier releases, budget figures and tool version.
    public let context: ReportContext
    /// SHA-256 of the configuration file, recorded in the manifest.
    public let configurationHash: String

    /// Weeks a supervision export spans, this one included.
    public static let supervisionWeeks = 13

    /// Creates the folder of `release`.
    public init(release: ProtectedRelease, context: ReportContext, configurationHash: String) {
        self.release = release
        self.context = context
        self.configurationHash = configurationHash
    }

    /// The releases a supervision export spans: the last ``supervisionWeeks`` released weeks
    /// up to this one.
    var recent: [ProtectedRelease] {
        Array((context.history.filter { $0.period < release.period } + [release]).suffix(Self.supervisionWeeks))
    }

    /// Every file of the folder (path relative to it, content), the manifest last.
    public var files: [(path: String, content: String)] {
        var files: [(path: String, content: String)] = [
            ("weekly-report.html", HTMLReport.render(release, context: context)),
            ("weekly-report.md", MarkdownReport.render(release, context: context)),
            ("caseload.csv", CSVExport.render(release.cells(in: .caseload), of: release)),
            ("outcomes.csv", CSVExport.render(release.cells(in: .outcomes), of: release)),
        ]
        let recent = recent
        let therapists = Set(release.cells.filter { $0.groupType == .therapist }.map(\.group))
        let names = SupervisionFileNames(therapists: therapists)
        for therapist in therapists.sorted() {
            let rows = recent.flatMap { r in r.cells.filter { $0.groupType == .therapist && $0.group == therapist }.map { (r, $0) } }
            files.append((names.path(of: therapist), CSVExport.render(rows)))
        }
        files.append(("manifest.json", Manifest.render(release, toolVersion: context.toolVersion, configurationHash: configurationHash,
                                                       files: files.map(\.path) + ["manifest.json"])))
        return files
    }

    /// The dates the folder may show: the period boundaries of the weeks it spans.
    var allowedDates: Set<String> { Set(recent.flatMap { [$0.periodStart, $0.periodEnd] }) }

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
