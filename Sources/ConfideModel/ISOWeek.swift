/// An ISO 8601 week (Monday to Sunday), written `YYYY-Www`, for example `2026-W47`.
public struct ISOWeek: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The ISO week-numbering year.
    public let year: Int
    /// The week number, 1-53.
    public let week: Int

    /// Creates a week; nil when that year has no such week.
    public init?(year: Int, week: Int) {
        guard week >= 1, week <= ISOWeek.weeksIn(year: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week that contains `day`.
    public init(containing day: Day) {
        let thursday = day.adding(days: 4 - day.weekday)
        let year = thursday.components.year
        let jan1 = Day(year: year, month: 1, day: 1)!
        self.year = year
        self.week = jan1.days(to: thursday) / 7 + 1
    }

    /// Parses `YYYY-Www` (also accepts lowercase `w`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]),
              parts[1].count == 3, parts[1].first == "W" || parts[1].first == "w",
              let week = Int(parts[1].dropFirst()) else { return nil }
        self.init(year: year, week: week)
    }

    /// The Monday of the week.
    public var start: Day {
        let jan4 = Day(year: year, month: 1, day: 4)!
        let week1Monday = jan4.adding(days: 1 - jan4.weekday)
        return week1Monday.adding(days: (week - 1) * 7)
    }

    /// The Sunday of the week.
    public var end: Day { start.adding(days: 6) }

    /// The week before.
    public var previous: ISOWeek { ISOWeek(containing: start.adding(days: -7)) }

    /// The week after.
    public var next: ISOWeek { ISOWeek(containing: start.adding(days: 7)) }

    /// The week `n` weeks later (earlier for negative `n`).
    public func adding(weeks n: Int) -> ISOWeek { ISOWeek(containing: start.adding(days: 7 * n)) }

    /// `YYYY-Www`.
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    /// The last complete week before the week that contains `today`.
    public static func lastComplete(before today: Day) -> ISOWeek {
        ISOWeek(containing: today).previous
    }

    /// Orders weeks chronologically.
    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    /// Weeks in the ISO year `year`: 52, or 53 when it has a week 53.
    public static func weeksIn(year: Int) -> Int {
        guard let dec28 = Day(year: year, month: 12, day: 28) else { return 52 }
        return ISOWeek(containing: dec28).week
    }
}
