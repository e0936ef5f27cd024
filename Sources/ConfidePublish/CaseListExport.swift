public import ConfideRelease
import Foundation

/// A therapist's case list as CSV (`supervision/<therapist>-cases.csv`): the header, then one
/// row per case, every field through ``TextSafety/csvCell(_:isNumber:)``. A list withheld (too
/// few cases or too little diversity) is the header alone; the manifest and the report say why.
public enum CaseListExport {
    /// The CSV text of `list`.
    public static func render(_ list: ProtectedCaseList) -> String {
        var lines = [list.header.map { TextSafety.csvCell($0) }.joined(separator: ",")]
        for row in list.rows {
            lines.append(row.map { TextSafety.csvCell($0, isNumber: Int($0) != nil) }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The manifest entry of `list` at `file`: the list's own encoding (k, l, the cases left out
    /// and suppressed, the classes, the levels, the risks before and after, why it is withheld)
    /// with the count of its rows instead of the rows, and without what the file holds or names.
    static func manifestEntry(_ list: ProtectedCaseList, file: String) -> [String: Any] {
        var entry = ((try? list.encoded()).flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        for key in ["therapist", "period", "header"] { entry[key] = nil }
        entry["rows"] = list.rows.count
        entry["file"] = file
        return entry
    }
}

/// What the weekly report says of the period's case lists (`[supervision] case_lists`): how many,
/// what was left out or suppressed, and the re-identification risk before and after, over all
/// lists (no therapist's figure).
struct CaseListSummary {
    let lists: [ProtectedCaseList]

    /// One paragraph of plain text, or nil without case lists.
    var text: String? {
        guard let first = lists.first else { return nil }
        let rows = lists.map(\.rows.count).reduce(0, +), suppressed = lists.map(\.suppressed).reduce(0, +)
        let excluded = lists.map(\.excluded).reduce(0, +), withheld = lists.filter { $0.withheld != nil }.count
        func share(_ value: Double) -> String { String(Int((value * 100).rounded())) + "%" }
        func uniques(_ risk: (ProtectedCaseList) -> CaseListRisk, records: (ProtectedCaseList) -> Int) -> String {
            let total = lists.map(records).reduce(0, +)
            let unique = lists.map { risk($0).sampleUniques * Double(records($0)) }.reduce(0, +)
            return share(total == 0 ? 0 : unique / Double(total))
        }
        let before = lists.map(\.riskBefore.prosecutorMax).max() ?? 0
        let after = lists.filter { $0.withheld == nil }.map(\.riskAfter.prosecutorMax).max() ?? 0
        var text = "Case lists for consultation (supervision/<therapist>-cases.csv): \(lists.count) therapists, \(rows) cases listed"
        text += ", \(suppressed) with their details suppressed (shown as *)"
        if excluded > 0 { text += ", \(excluded) left out (clients under 18)" }
        if withheld > 0 { text += ", \(withheld) lists withheld (too few cases or outcomes to hide a case among)" }
        text += ". Every listed combination of age band, gender, ethnicity, district and referral month is shared by at least \(first.k) cases"
        text += " with at least \(first.l) different outcomes. Re-identification risk (prosecutor, the highest of any case): \(share(before)) before, \(share(after)) after;"
        text += " cases unique on those details: \(uniques({ $0.riskBefore }, records: { $0.cases - $0.excluded })) before, \(uniques({ $0.riskAfter }, records: { $0.rows.count - $0.suppressed })) after."
        return text
    }
}
