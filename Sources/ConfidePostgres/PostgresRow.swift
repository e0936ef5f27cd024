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
        guard let text = fields[index], text.hasPrefix("\\x") else { return nil }
        return HexBlob.bytes(text.dropFirst(2))
    }
}
