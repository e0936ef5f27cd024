import ConfideModel
import ConfideStore

/// The current row of an SQLite source as text fields: integers in decimal, whole reals as
/// integers, text and blobs as their bytes (checked as UTF-8 when read), NULL as empty.
final class SQLiteRecord: SourceRecord {
    private(set) var bytes: [UInt8] = []
    private(set) var fieldEnds: [Int] = []
    /// The first field that holds a NUL byte.
    private(set) var nulField: Int?

    func fill(_ row: Row, count: Int) {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        nulField = nil
        for index in 0..<count {
            switch row.value(index) {
            case .null: break
            case .integer(let value): bytes.append(contentsOf: String(value).utf8)
            case .real(let value):
                if value.rounded() == value, abs(value) < 1e15 { bytes.append(contentsOf: String(Int64(value)).utf8) } else { bytes.append(contentsOf: String(value).utf8) }
            case .text, .blob:
                let value = row.blob(index)
                if nulField == nil, value.contains(0) { nulField = index }
                bytes.append(contentsOf: value)
            }
            fieldEnds.append(bytes.count)
        }
    }

    func fieldBytes(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return bytes[start..<fieldEnds[index]]
    }
}

/// Reads one canonical file from an SQLite source (a table or a `SELECT`) into a ``FileLoad``.
/// Only the mapped columns are selected, so other columns are never read at all; the rows go
/// through the same validation, pseudonymisation and quarantine as CSV rows. The row's
/// 1-based position in the result stands in for a line number.
struct SQLiteExtract {
    /// Canonical field → result column.
    let columns: [String: Int]
    /// The listed status columns when the status is derived from several (nil: one `status` column).
    let statusColumns: StatusColumns?
    /// The table's columns not read (names known for tables only).
    let dropped: [DroppedColumn]
    private let select: Statement
    private let count: Int

    /// Resolves the mapped columns of `file` in the source database.
    ///
    /// - Throws: ``IngestError`` when the table or query cannot be read or lacks a required column.
    init(file: CanonicalFile, source: ExportSource, db: Database) throws(IngestError) {
        let mapping = source.mapping(file)
        let label = source.label(of: file)
        let relation: String
        if let query = mapping.query {
            var text = query.trimmingSpaces()
            while text.hasSuffix(";") || text.hasSuffix("\n") || text.hasSuffix(" ") { text.removeLast() }
            relation = "(\(text))"
        } else {
            relation = quoteIdentifier(mapping.table ?? file.rawValue)
        }
        do {
            _ = try db.makeStatement("SELECT * FROM \(relation) LIMIT 0")
        } catch {
            throw .badSource(file: label, detail: "cannot read it: \(error.message)")
        }
        var selected: [String] = []
        var columns: [String: Int] = [:]
        func selectIfPresent(_ name: String) -> Int? {
            guard (try? db.makeStatement("SELECT \(quoteIdentifier(name)) FROM \(relation) LIMIT 0")) != nil else { return nil }
            selected.append(name)
            return selected.count - 1
        }
        for field in file.fields where mapping.readsColumn(of: field) {
            if let index = selectIfPresent(mapping.columns[field] ?? field) { columns[field] = index }
        }
        for required in file.requiredFields where columns[required] == nil && mapping.readsColumn(of: required) {
            throw .missingColumn(file: label, column: mapping.columns[required] ?? required)
        }
        let statusColumns = try StatusColumns.resolve(mapping, label: label, position: selectIfPresent)
        var dropped: [DroppedColumn] = []
        if mapping.query == nil {
            let lowered = Set(selected.map { $0.lowercased() })
            let names = (try? db.makeStatement("SELECT name FROM pragma_table_info(?1)").map([mapping.table ?? file.rawValue]) { $0.string(0) }) ?? []
            for (index, name) in names.enumerated() where !lowered.contains(name.lowercased()) {
                dropped.append(DroppedColumn(name: printableColumnName(name, index: index), looksIdentifying: looksIdentifying(name)))
            }
        }
        do {
            select = try db.makeStatement("SELECT \(selected.map(quoteIdentifier).joined(separator: ", ")) FROM \(relation)")
        } catch {
            throw .badSource(file: label, detail: "cannot read it: \(error.message)")
        }
        self.columns = columns
        self.statusColumns = statusColumns
        self.dropped = dropped
        self.count = selected.count
    }

    /// Offers every row to `batcher`, which hands full batches to `deliver`; the last,
    /// partial batch is delivered too.
    func run(into batcher: inout RecordBatcher, record: SQLiteRecord, deliver: (RecordBatch) throws -> Void) throws {
        var line = 0
        let count = self.count, columns = self.columns, statusColumns = self.statusColumns
        var failure: Error?
        do {
            try select.forEachRow { row in
                line += 1
                record.fill(row, count: count)
                let shape = record.nulField.map { index in
                    RowRejection(column: columns.first { $0.value == index }?.key ?? statusColumns?.sources.first { $0.index == index }?.column
                                 ?? "column \(index + 1)", reason: .nulByte)
                }
                do { try batcher.offer(line: line, shape: shape, deliver: deliver) } catch { failure = error; throw error }
            }
        } catch {
            if let failure { throw failure }
            throw IngestError.badSource(file: batcher.label, detail: "reading stopped at row \(line + 1): \((error as? DatabaseError)?.message ?? "error")")
        }
        try batcher.flush(deliver: deliver)
    }
}

/// An SQL identifier in double quotes, inner quotes doubled.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}

extension Error {
    /// SQLite's message for a database error, else a generic description without values.
    var message: String { (self as? DatabaseError)?.message ?? "unreadable" }
}
