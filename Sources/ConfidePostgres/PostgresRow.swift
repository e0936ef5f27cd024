public import ConfideStore

/// One row of a query's result, each value in PostgreSQL's text form (nil for NULL). Read like
/// an SQLite row (``ConfideStore/SQLRow``): `string` is "" and `int` 0 for NULL.
public struct PostgresRow: Sendable, Equatable, SQLRow {
    /// The values, in the order of the query's columns.
    public let fields: [String?]

    /// Creates a row.
    public init(fields: [String?]) { self.fields = fields }

    /// The value of column `index` as text, nil for NULL.
    public func optionalString(_ index: Int) -> String? { fields[index] }

    /// The value of column `index` as text, "" for NULL.
    public func string(_ index: Int) -> String { fields[index] ?? "" }

    /// The value of column `index` as an integer, nil for NULL or a value that is not one.
    public func optionalInt(_ index: Int) -> Int? { fields[index].flatMap { Int($0) } }

    /// The value of column `index` as an integer, 0 for NULL.
    public func int(_ index: Int) -> Int { optionalInt(index) ?? 0 }

    /// The value of column `index` as a double, nil for NULL or a value that is not one.
    public func optionalDouble(_ index: Int) -> Double? { fields[index].flatMap { Double($0) } }

    /// The value of column `index` as a double, 0 for NULL.
    public func double(_ index: Int) -> Double { optionalDouble(index) ?? 0 }

    /// The value of a `bytea` column `index` (PostgreSQL's hex form, `\x0a1b...`), nil for NULL
    /// or text that is not that form.
    public func bytes(_ index: Int) -> [UInt8]? {
        guard let text = fields[index] else { return nil }
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
