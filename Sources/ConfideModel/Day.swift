/// A calendar date without a time, in the practice's time zone, counted in days since
/// 1970-01-01 (proleptic Gregorian). Cheap to compare, subtract and hash.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    /// Creates a day from its ordinal.
    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Creates a day from year, month (1-12) and day (1-31); nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.ordinal = era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD` exactly; nil for anything else.
    public init?(iso text: Substring.UTF8View) {
        self.init(isoBytes: text)
    }

    /// Parses the bytes of `YYYY-MM-DD` exactly (nil for anything else), without allocating:
    /// the form in which dates are read from a store or a file by the million. Inlinable, so
    /// that it is specialised for the caller's byte collection.
    @inlinable
    public init?<Bytes: Collection<UInt8>>(isoBytes text: Bytes) {
        guard text.count == 10 else { return nil }
        var fields = (0, 0, 0)
        for (offset, byte) in text.enumerated() {
            if offset == 4 || offset == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int(byte - 48)
            switch offset {
            case 0..<4: fields.0 = fields.0 * 10 + digit
            case 5..<7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Parses `YYYY-MM-DD` exactly; nil for anything else.
    public init?(iso text: String) {
        self.init(iso: Substring(text).utf8)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        let w = (ordinal + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `YYYY-MM-DD`.
    public var description: String { iso }

    /// The day `n` days later (or earlier, for negative `n`).
    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: Day) -> Int { other.ordinal - ordinal }

    /// Whole years of age on `self` for someone born on `birth`.
    public func age(bornOn birth: Day) -> Int {
        let a = components, b = birth.components
        var years = a.year - b.year
        if (a.month, a.day) < (b.month, b.day) { years -= 1 }
        return years
    }

    /// Orders days chronologically.
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
