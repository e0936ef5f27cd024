public import ConfidePrivacy

/// The long-format CSV exports (`caseload.csv`, `outcomes.csv`, supervision files).
public enum CSVExport {
    /// The header every long-format export carries, exactly.
    public static let header = "period_start,period_end,group_type,group,measure_id,measure_name,value,interval_low,interval_high,status"

    /// The rows of `cells` for `release`, with the header, CRLF line ends (RFC 4180).
    public static func render(_ cells: [ProtectedCell], of release: ProtectedRelease) -> String {
        render(cells.map { (release, $0) })
    }

    /// Rows that may come from several releases (supervision exports span 13 weeks).
    public static func render(_ rows: [(ProtectedRelease, ProtectedCell)]) -> String {
        var out = header + "\r\n"
        for (release, cell) in rows {
            let fields = [
                TextSafety.csvCell(release.periodStart, isNumber: true),
                TextSafety.csvCell(release.periodEnd, isNumber: true),
                TextSafety.csvCell(cell.groupType),
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

/// How numbers are written: counts as integers, rates with one decimal.
public enum NumberFormat {
    /// `38` for a count, `12.5` for a rate or a mean.
    public static func plain(_ value: Double, of cell: ProtectedCell) -> String {
        plain(value, isRate: cell.isRate || cell.isMean)
    }

    /// `38` for a count, `12.5` with `isRate` (one decimal).
    public static func plain(_ value: Double, isRate: Bool) -> String {
        if isRate {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }
        return String(Int(value.rounded()))
    }

    /// `38 (34–42)` or `suppressed`.
    public static func withInterval(_ cell: ProtectedCell) -> String {
        guard let value = cell.value else { return "suppressed" }
        let unit = cell.isRate ? "%" : ""
        var text = plain(value, of: cell) + unit
        if let low = cell.intervalLow, let high = cell.intervalHigh, low != high {
            text += " (\(plain(low, of: cell))–\(plain(high, of: cell)))"
        }
        return text
    }
}
