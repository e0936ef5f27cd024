import ConfideModel
public import ConfideRelease

/// The long-format CSV exports (`caseload.csv`, `outcomes.csv`, supervision files).
public enum CSVExport {
    /// The header every long-format export carries, exactly.
    public static let header = "period_start,period_end,group_type,group,measure_id,measure_name,value,interval_low,interval_high,status"

    /// The rows of `cells` for `release`, with the header, CRLF line ends (RFC 4180).
    public static func render(_ cells: [ProtectedCell], of release: ProtectedRelease) -> String {
        render(cells.map { (release, $0) })
    }

    /// Rows that may come from several releases (a week's caseload export also holds the therapist rows of the supervision period it closes).
    public static func render(_ rows: [(ProtectedRelease, ProtectedCell)]) -> String {
        var out = header + "\r\n"
        for (release, cell) in rows {
            let fields = [
                TextSafety.csvCell(release.periodStart(of: cell.table), isNumber: true),
                TextSafety.csvCell(release.periodEnd, isNumber: true),
                TextSafety.csvCell(cell.groupType.rawValue),
                TextSafety.csvCell(cell.group),
                TextSafety.csvCell(cell.measureID),
                TextSafety.csvCell(cell.measureName),
                cell.value.map { NumberFormat.plain($0, of: cell) } ?? "",
                cell.intervalLow.map { NumberFormat.plain($0, of: cell) } ?? "",
                cell.intervalHigh.map { NumberFormat.plain($0, of: cell) } ?? "",
                cell.status.rawValue,
            ]
            out += fields.joined(separator: ",") + "\r\n"
        }
        return out
    }
}
