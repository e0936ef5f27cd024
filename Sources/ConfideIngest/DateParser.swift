public import ConfideModel
public import Foundation

/// How a source writes calendar dates.
public enum DateOrder: String, Sendable, Codable, CaseIterable {
    /// `YYYY-MM-DD` (ISO 8601), the canonical form.
    case iso
    /// `DD/MM/YYYY`, as UK exports and Excel write them (`D/M/YYYY` also read).
    case dayMonthYear = "dd/mm/yyyy"
    /// `MM/DD/YYYY`, as US systems write them (`M/D/YYYY` also read).
    case monthDayYear = "mm/dd/yyyy"
}

/// Reads dates and date-times into days in the practice's time zone.
///
/// Accepts `YYYY-MM-DD` (or `DD/MM/YYYY` when configured), optionally followed by `T` or a
/// space and a time; a time with `Z` or an offset is converted into the practice's zone, a
/// time without one is taken as practice-local.
public struct DateParser: Sendable {
    /// The date order of the source.
    public let order: DateOrder
    /// The practice's time zone.
    public let timeZone: TimeZone

    /// Creates a parser.
    public init(order: DateOrder = .iso, timeZone: TimeZone) {
        self.order = order
        self.timeZone = timeZone
    }

    /// The day `text` falls on in the practice's zone, or nil when it is not a date.
    public func day(_ text: String) -> Day? {
        let utf8 = Array(text.utf8)
        let date: Day?
        let length: Int
        switch order {
        case .iso:
            guard utf8.count >= 10 else { return nil }
            date = Day(iso: Substring(text).utf8.prefix(10))
            length = 10
        case .dayMonthYear, .monthDayYear:
            guard let (parts, end) = slashDate(utf8) else { return nil }
            date = order == .dayMonthYear ? Day(year: parts.2, month: parts.1, day: parts.0)
                                          : Day(year: parts.2, month: parts.0, day: parts.1)
            length = end
        }
        guard let date else { return nil }
        if utf8.count == length { return date }
        return dateTime(date: date, rest: utf8[length...])
    }

    /// `A/B/YYYY` with one- or two-digit `A` and `B`: the three numbers and where the date ends.
    private func slashDate(_ bytes: [UInt8]) -> ((Int, Int, Int), Int)? {
        var numbers: [Int] = []
        var i = 0
        for (index, width) in [(0, 1...2), (1, 1...2), (2, 4...4)] {
            var value = 0, digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, digits < width.upperBound {
                value = value * 10 + Int(bytes[i] - 48)
                digits += 1
                i += 1
            }
            guard width.contains(digits) else { return nil }
            numbers.append(value)
            if index < 2 {
                guard i < bytes.count, bytes[i] == UInt8(ascii: "/") else { return nil }
                i += 1
            }
        }
        return ((numbers[0], numbers[1], numbers[2]), i)
    }

    /// Parses `THH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]` after a date.
    private func dateTime(date: Day, rest: ArraySlice<UInt8>) -> Day? {
        var bytes = Array(rest)
        guard let first = bytes.first, first == UInt8(ascii: "T") || first == UInt8(ascii: " ") else { return nil }
        bytes.removeFirst()
        func number(_ i: Int) -> Int? {
            guard i + 1 < bytes.count, bytes[i] >= 48, bytes[i] <= 57, bytes[i + 1] >= 48, bytes[i + 1] <= 57 else { return nil }
            return Int(bytes[i] - 48) * 10 + Int(bytes[i + 1] - 48)
        }
        guard let hour = number(0), hour < 24, bytes.count >= 5, bytes[2] == UInt8(ascii: ":"),
              let minute = number(3), minute < 60 else { return nil }
        var i = 5
        var second = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            guard let s = number(i + 1), s < 61 else { return nil }
            second = s
            i += 3
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                i += 1
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            }
        }
        if i == bytes.count { return date }  // practice-local time
        var offsetSeconds = 0
        if bytes[i] == UInt8(ascii: "Z"), i + 1 == bytes.count {
            offsetSeconds = 0
        } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = number(i + 1) else { return nil }
            var j = i + 3
            var om = 0
            if j < bytes.count, bytes[j] == UInt8(ascii: ":") { j += 1 }
            if j < bytes.count { guard let m = number(j) else { return nil }; om = m; j += 2 }
            guard j == bytes.count, oh < 15, om < 60 else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let utc = date.ordinal * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let local = utc + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
        return Day(ordinal: Int((Double(local) / 86_400).rounded(.down)))
    }
}
