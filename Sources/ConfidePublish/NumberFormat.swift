public import ConfideRelease

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
