/// A supervision period: a block of ISO weeks counted from week 1 of its ISO year (with four
/// weeks, W01-W04, W05-W08, … W49-W52; a week 53 joins the year's last block). Therapist
/// figures are released once per period, by the run of the week that closes it.
public struct SupervisionPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The period lengths a practice may choose, in weeks (each divides 52).
    public static let allowedWeeks = [1, 2, 4, 13]

    /// The first week.
    public let first: ISOWeek
    /// The last week (the week whose run releases the period).
    public let last: ISOWeek

    /// The period of `weeks` weeks (one of ``allowedWeeks``) that contains `week`.
    public init(containing week: ISOWeek, weeks: Int) {
        precondition(Self.allowedWeeks.contains(weeks), "period of \(weeks) weeks")
        let blocks = 52 / weeks
        let block = min((week.week - 1) / weeks, blocks - 1)
        first = ISOWeek(year: week.year, week: block * weeks + 1)!
        let lastWeek = block == blocks - 1 ? ISOWeek.weeksIn(year: week.year) : (block + 1) * weeks
        last = ISOWeek(year: week.year, week: lastWeek)!
    }

    /// Parses `YYYY-Www/YYYY-Www` (first and last week), as ``description`` writes it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let first = ISOWeek(String(parts[0])), let last = ISOWeek(String(parts[1])), first <= last else { return nil }
        self.first = first
        self.last = last
    }

    /// Weeks in the period (one more than the length when a week 53 joined it).
    public var weekCount: Int { first.start.days(to: last.start) / 7 + 1 }

    /// True when `week` is the period's last week, whose run releases it.
    public func isClosed(by week: ISOWeek) -> Bool { week == last }

    /// The period before.
    public func previous(weeks: Int) -> SupervisionPeriod { SupervisionPeriod(containing: first.previous, weeks: weeks) }

    /// `YYYY-Www/YYYY-Www`, the first and last week: the period's key in the store and ledger.
    public var description: String { "\(first)/\(last)" }

    /// Orders periods chronologically.
    public static func < (a: SupervisionPeriod, b: SupervisionPeriod) -> Bool { a.first < b.first }
}
