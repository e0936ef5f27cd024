import ConfideCSV
import ConfideModel

extension CSVReader: SourceRecord {}

/// Reads one CSV file of an export into a ``FileLoad``: opens and decodes it, matches the
/// header against the mapping (dropping every other column by name), and offers each record
/// with the shape problems the reader flagged.
struct CSVExtract {
    let reader: CSVReader
    /// Canonical field → column index.
    let columns: [String: Int]
    /// The listed status columns when the status is derived from several (nil: one `status` column).
    let statusColumns: StatusColumns?
    /// The columns not read.
    let dropped: [DroppedColumn]
    private let headerCount: Int

    /// Opens `file` of `source` and reads its header.
    ///
    /// - Throws: ``IngestError`` when the file is missing, cannot be decoded, is empty or lacks
    ///   a required column.
    init(file: CanonicalFile, source: ExportSource) throws(IngestError) {
        let label = source.label(of: file)
        let path = source.csvPath(of: file)
        let mapping = source.mapping(file)
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, separator: source.separator, encoding: source.encoding)
        } catch .encodingMismatch(let found, let configured) {
            throw .undecodable(file: label, detail: "it starts with a \(found) byte-order mark but [source] encoding is \"\(configured)\"; set encoding = \"auto\"")
        } catch {
            throw .missingFile(path: path)
        }
        guard reader.next() else { throw .emptyFile(file: label) }
        var headerIndex: [String: Int] = [:]
        for index in 0..<reader.fieldCount {
            guard let raw = reader.field(index) else {
                throw .undecodable(file: label, detail: "the header row is not valid \(reader.encoding.rawValue); set [source] encoding")
            }
            if raw.contains("\u{0}") {
                // NUL bytes: UTF-16 without a byte-order mark read as UTF-8, or a damaged header.
                let names = (0..<reader.fieldCount).compactMap { reader.field($0) }
                let nuls = names.joined().unicodeScalars.filter { $0.value == 0 }.count
                throw .undecodable(file: label, detail: nuls * 3 >= names.joined().unicodeScalars.count
                    ? "the header row is mostly NUL bytes: the file looks like UTF-16 without a byte-order mark; set [source] encoding = \"utf-16\" or export it as UTF-8"
                    : "the header row holds a NUL byte in column \(index + 1); export the file again")
            }
            headerIndex[normalisedWord(raw.trimmingSpaces()), default: index] = index
        }
        var columns: [String: Int] = [:]
        var used = Set<Int>()
        for field in file.fields where mapping.readsColumn(of: field) {
            let sourceName = normalisedWord((mapping.columns[field] ?? field).trimmingSpaces())
            if let index = headerIndex[sourceName] { columns[field] = index; used.insert(index) }
        }
        for required in file.requiredFields where columns[required] == nil && mapping.readsColumn(of: required) {
            throw .missingColumn(file: label, column: mapping.columns[required] ?? required)
        }
        let statusColumns = try StatusColumns.resolve(mapping, label: label) { name in
            let index = headerIndex[normalisedWord(name.trimmingSpaces())]
            if let index { used.insert(index) }
            return index
        }
        var dropped: [DroppedColumn] = []
        for index in 0..<reader.fieldCount where !used.contains(index) {
            let rawName = reader.field(index)?.trimmingSpaces() ?? ""
            dropped.append(DroppedColumn(name: printableColumnName(rawName, index: index), looksIdentifying: looksIdentifying(rawName)))
        }
        self.reader = reader
        self.columns = columns
        self.statusColumns = statusColumns
        self.dropped = dropped
        self.headerCount = reader.fieldCount
    }

    /// Offers every data record to `batcher`, which hands full batches to `deliver`; the
    /// last, partial batch is delivered too.
    func run(into batcher: inout RecordBatcher, progress: ProgressLine?, deliver: (RecordBatch) throws -> Void) throws {
        var rows = 0
        while reader.next() {
            try batcher.offer(line: reader.recordLine, shape: shapeProblem(), deliver: deliver)
            rows += 1
            if let progress, rows & 0xFFFF == 0 { progress.update(bytes: reader.bytesConsumed, rows: rows) }
        }
        try batcher.flush(deliver: deliver)
        progress?.finish(rows: rows)
    }

    /// Whole-record problems found by the reader.
    private func shapeProblem() -> RowRejection? {
        if reader.unterminatedQuote { return RowRejection(column: "", reason: .unterminatedQuote) }
        if let index = reader.oversizedField { return RowRejection(column: columnName(index), reason: .fieldTooLarge) }
        if let index = reader.nulField { return RowRejection(column: columnName(index), reason: .nulByte) }
        if let index = reader.strayQuoteField { return RowRejection(column: columnName(index), reason: .strayQuote) }
        if reader.isBlank, !reader.tooManyFields { return RowRejection(column: "", reason: .emptyRow) }
        if reader.tooManyFields || reader.fieldCount != headerCount {
            let column = reader.fieldCount > headerCount || reader.tooManyFields ? headerCount + 1 : reader.fieldCount + 1
            return RowRejection(column: "column \(column)", reason: .raggedRow)
        }
        return nil
    }

    private func columnName(_ index: Int) -> String {
        columns.first { $0.value == index }?.key ?? statusColumns?.sources.first { $0.index == index }?.column ?? "column \(index + 1)"
    }
}
