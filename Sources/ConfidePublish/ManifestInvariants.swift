import ConfideModel
import ConfideCSV
import ConfideRelease
import Foundation

/// The audit rule `manifest_invariants`: a week folder agrees with its `manifest.json`, and every
/// published cell is protected by the release's mode.
///
/// Checked for every folder that holds a `manifest.json`:
/// - the manifest parses and names a mode (`dp` or `sdc`), the period and its tables;
/// - the folder holds exactly the files the manifest lists;
/// - each table's CSV (`<table>.csv`) has the contract header, ten fields a row, the manifest's
///   period, and as many published and suppressed rows as the manifest counts (per table and in
///   total); when the manifest declares a `supervision` period, rows of that period (or of its
///   outcome window) are also allowed, and counted against its `cells_published` and
///   `cells_suppressed`;
/// - in every long-format CSV (the tables and `supervision/`): a suppressed row has no value and
///   no interval; a published row has a number inside its interval `interval_low ≤ value ≤
///   interval_high`; in the release's own period or its supervision period, a dp count is at least `min_clients` and an
///   sdc count is a multiple of 5.
///
/// A finding names the file, the line and what does not hold, never a value.
public enum ManifestInvariants {
    /// The rule name in findings.
    public static let rule = LeakRule.manifestInvariants.rawValue

    /// Checks the folder `folder`, whose regular files (relative to it) are `files`; findings
    /// name files as `prefix + relative`.
    public static func check(folder: String, files: [String], prefix: String = "") -> [LeakFinding] {
        var findings: [LeakFinding] = []
        func report(_ file: String, _ line: Int, _ detail: String) {
            findings.append(LeakFinding(file: prefix + file, line: line, rule: rule, detail: detail))
        }
        guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
              let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            report("manifest.json", 1, "manifest does not parse")
            return findings
        }
        let manifestText = String(decoding: data, as: UTF8.self)
        func manifestLine(_ key: String) -> Int {
            let lines = manifestText.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.firstIndex { $0.contains("\"\(key)\"") } ?? 0) + 1
        }
        let privacy = manifest["privacy"] as? [String: Any]
        guard let mode = privacy?["mode"] as? String, mode == "dp" || mode == "sdc",
              let minClients = privacy?["min_clients"] as? Int,
              let periodStart = manifest["period_start"] as? String, let periodEnd = manifest["period_end"] as? String,
              let tables = manifest["tables"] as? [String: [String: Any]], let listed = manifest["files"] as? [String] else {
            report("manifest.json", 1, "manifest lacks its mode, period, tables or files")
            return findings
        }
        for file in Set(files).subtracting(listed).sorted() { report(file, 1, "file not listed in the manifest") }
        for file in Set(listed).subtracting(files).sorted() { report("manifest.json", manifestLine("files"), "listed file \(file) is missing") }

        let supervision = manifest["supervision"] as? [String: Any]
        var periodRows: Set<String> = []
        if let supervision, let start = supervision["period_start"] as? String, let end = supervision["period_end"] as? String {
            periodRows = [start + "|" + end, (supervision["outcome_window_start"] as? String ?? start) + "|" + end]
        }
        let period = Period(start: periodStart, end: periodEnd, mode: mode, minClients: minClients, supervision: periodRows)
        var totals = (published: 0, suppressed: 0)
        var periodTotals = (published: 0, suppressed: 0)
        for (table, counts) in tables.sorted(by: { $0.key < $1.key }) {
            let file = table + ".csv"
            guard files.contains(file), let tally = checkRows(path: folder + "/" + file, file: file, period: period, samePeriodOnly: true, report: report) else {
                report("manifest.json", manifestLine(table), "table file is missing")
                continue
            }
            totals.published += tally.published
            totals.suppressed += tally.suppressed
            periodTotals.published += tally.periodPublished
            periodTotals.suppressed += tally.periodSuppressed
            if tally.published != counts["cells_published"] as? Int {
                report(file, 1, "published rows differ from the manifest's cells_published")
            }
            if tally.suppressed != counts["cells_suppressed"] as? Int {
                report(file, 1, "suppressed rows differ from the manifest's cells_suppressed")
            }
            if counts["mode"] as? String != mode { report("manifest.json", manifestLine(table), "table mode differs from the release's mode") }
        }
        if totals.published != manifest["cells_published"] as? Int || totals.suppressed != manifest["cells_suppressed"] as? Int {
            report("manifest.json", manifestLine("cells_published"), "cell counts differ from the tables' rows")
        }
        if !periodRows.isEmpty,
           periodTotals.published != supervision?["cells_published"] as? Int || periodTotals.suppressed != supervision?["cells_suppressed"] as? Int {
            report("manifest.json", manifestLine("supervision"), "supervision cell counts differ from the tables' rows")
        }
        let caseLists = (supervision?["case_lists"] as? [[String: Any]]) ?? []
        let caseFiles = Set(caseLists.compactMap { $0["file"] as? String })
        for file in files.sorted() where file.hasPrefix("supervision/") && file.hasSuffix(".csv") && !caseFiles.contains(file) {
            _ = checkRows(path: folder + "/" + file, file: file, period: period, samePeriodOnly: false, report: report)
        }
        for entry in caseLists {
            guard let file = entry["file"] as? String, files.contains(file) else {
                report("manifest.json", manifestLine("case_lists"), "a case list the manifest names is not in the folder")
                continue
            }
            checkCaseList(path: folder + "/" + file, file: file, entry: entry, report: report)
        }
        return findings
    }

    /// Checks a case list against its manifest entry, independently of how it was made: the
    /// contract header, a field per column in every row, as many rows and suppressed rows
    /// (every quasi-identifier `*`) as the entry says, and every combination of the
    /// quasi-identifiers among the other rows shared by at least `k` rows holding at least `l`
    /// distinct outcome classes.
    static func checkCaseList(path: String, file: String, entry: [String: Any], report: (String, Int, String) -> Void) {
        guard let reader = try? CSVReader(path: path, separator: UInt8(ascii: ","), encoding: .utf8) else {
            report(file, 1, "case list cannot be read")
            return
        }
        let header = ProtectedCaseList.contractHeader
        func fields() -> [String] { (0..<reader.fieldCount).map { reader.field($0) ?? "" } }
        guard reader.next(), fields() == header else {
            report(file, 1, "case list header differs from the contract")
            return
        }
        let quasi = ProtectedCaseList.quasiIdentifiers.map { header.firstIndex(of: $0)! }
        let sensitive = header.firstIndex(of: ProtectedCaseList.sensitive)!
        var rows = 0, suppressed = 0
        var groups: [[String]: (count: Int, outcomes: Set<String>, line: Int)] = [:]
        while reader.next() {
            if reader.isBlank { continue }
            let row = fields()
            guard row.count == header.count else { report(file, reader.recordLine, "case list row does not have \(header.count) fields"); continue }
            rows += 1
            let key = quasi.map { row[$0] }
            if key.allSatisfy({ $0 == "*" }) { suppressed += 1; continue }
            var group = groups[key] ?? (0, [], reader.recordLine)
            group.count += 1
            group.outcomes.insert(row[sensitive])
            groups[key] = group
        }
        if rows != entry["rows"] as? Int || suppressed != entry["suppressed"] as? Int {
            report(file, 1, "case list rows or suppressed rows differ from the manifest's")
        }
        let k = entry["k"] as? Int ?? Int.max, l = entry["l"] as? Int ?? Int.max
        for group in groups.values.sorted(by: { $0.line < $1.line }) {
            if group.count < k { report(file, group.line, "case list group smaller than k") }
            if group.outcomes.count < l { report(file, group.line, "case list group with fewer than l outcome classes") }
        }
    }

    /// What a week's rows must agree with.
    struct Period {
        let start: String
        let end: String
        let mode: String
        let minClients: Int
        /// `start|end` of the rows of the supervision period the week closes (none when it closes none).
        var supervision: Set<String> = []
    }

    /// Checks the header and every row of the long-format CSV at `path` (read by the same
    /// ``CSVReader`` the ingest uses, as UTF-8 with `,`); returns the published and suppressed
    /// rows of `period` (all rows must be of `period` when `samePeriodOnly`), or nil when the
    /// file cannot be read.
    static func checkRows(path: String, file: String, period: Period, samePeriodOnly: Bool,
                          report: (String, Int, String) -> Void) -> (published: Int, suppressed: Int, periodPublished: Int, periodSuppressed: Int)? {
        guard let reader = try? CSVReader(path: path, separator: UInt8(ascii: ","), encoding: .utf8) else { return nil }
        func fields() -> [String] { (0..<reader.fieldCount).map { reader.field($0) ?? "" } }
        guard reader.next(), fields().joined(separator: ",") == CSVExport.header else {
            report(file, 1, "header differs from the contract")
            return (0, 0, 0, 0)
        }
        var published = 0, suppressed = 0, periodPublished = 0, periodSuppressed = 0
        while reader.next() {
            if reader.isBlank { continue }
            let fields = fields()
            let line = reader.recordLine
            guard fields.count == 10 else { report(file, line, "row does not have 10 fields"); continue }
            // Supervision rows are the therapist rows of the period (its dates may be the week's).
            let isPeriod = fields[2] == GroupType.therapist.rawValue && period.supervision.contains(fields[0] + "|" + fields[1])
            let isWeek = !isPeriod && fields[0] == period.start && fields[1] == period.end
            let isCurrent = isWeek || isPeriod
            if samePeriodOnly && !isCurrent { report(file, line, "period differs from the manifest's") }
            let (value, low, high, status) = (fields[6], fields[7], fields[8], fields[9])
            switch status {
            case "suppressed":
                suppressed += isWeek ? 1 : 0
                periodSuppressed += isPeriod ? 1 : 0
                if !value.isEmpty || !low.isEmpty || !high.isEmpty { report(file, line, "suppressed row has a value or interval") }
            case "published":
                published += isWeek ? 1 : 0
                periodPublished += isPeriod ? 1 : 0
                guard let v = Double(value), v.isFinite else { report(file, line, "published row has no numeric value"); continue }
                guard let l = Double(low), let h = Double(high) else { report(file, line, "published row lacks its interval"); continue }
                if !(l <= v && v <= h) { report(file, line, "value outside its interval") }
                guard isCurrent, !value.contains(".") else { continue }
                if period.mode == "sdc", Int(value).map({ $0 % 5 != 0 }) ?? true {
                    report(file, line, "sdc count not a multiple of 5")
                }
                if period.mode == "dp", v < Double(period.minClients) {
                    report(file, line, "dp count below min_clients")
                }
            default:
                report(file, line, "status is neither published nor suppressed")
            }
        }
        return (published, suppressed, periodPublished, periodSuppressed)
    }
}
