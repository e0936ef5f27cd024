import ConfideModel
import ConfideStore

/// One release in the budget ledger.
public struct LedgerEntry: Sendable, Equatable, Codable {
    /// The ISO week.
    public let period: String
    /// ε charged.
    public let epsilon: Double
    /// δ charged.
    public let delta: Double
    /// When it was charged (UTC, ISO 8601).
    public let created: String
}

/// The budget ledger in the store: every charge, never edited, and the rolling-year checks.
struct Ledger {
    let db: Database

    func entries() throws -> [LedgerEntry] {
        try db.cachedStatement("SELECT period, epsilon, delta, created FROM ledger ORDER BY period_start, entry_id").map { row in
            LedgerEntry(period: row.string(0), epsilon: row.double(1), delta: row.double(2), created: row.string(3))
        }
    }

    /// ε charged to releases whose week lies in the 52 weeks ending with `week`.
    func rollingEpsilon(endingWith week: ISOWeek) throws -> Double {
        try sum(from: week.adding(weeks: -51), to: week)
    }

    /// The largest ε of any 52-week window that contains `week`, if `extra` were charged to it.
    func worstWindow(containing week: ISOWeek, adding extra: Double) throws -> Double {
        var worst = 0.0
        for shift in 0..<52 {
            let first = week.adding(weeks: -shift)
            worst = max(worst, try sum(from: first, to: first.adding(weeks: 51)) + extra)
        }
        return worst
    }

    private func sum(from first: ISOWeek, to last: ISOWeek) throws -> Double {
        var total = 0.0
        try db.cachedStatement("SELECT epsilon FROM ledger WHERE period_start BETWEEN ? AND ?")
            .forEachRow([first.start.iso, last.start.iso]) { total += $0.double(0) }
        return total
    }

    func charge(period: ISOWeek, epsilon: Double, delta: Double, created: String, note: String) throws {
        try db.execute("INSERT INTO ledger (period, period_start, epsilon, delta, created, note) VALUES (?, ?, ?, ?, ?, ?)",
                       [period.description, period.start.iso, epsilon, delta, created, note])
    }
}
