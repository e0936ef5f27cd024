import ConfideStore
import ConfideCSV
import ConfideModel
import Foundation

/// One canonical file of a source, opened and checked (its required columns are there): what
/// its load reports before a row is read (the dropped columns, the encoding), and the parse
/// that validates and pseudonymises its records and hands them on in batches. Whichever store
/// the batches go to (SQLite's ``FileLoad``, PostgreSQL's ``PostgresFileLoad``), a file is
/// read by this one path.
struct ExportFile {
    /// The source's columns that are not canonical fields: dropped at read time.
    let dropped: [DroppedColumn]
    /// The text encoding a CSV file was read in (nil for an SQLite source).
    let encoding: ResolvedEncoding?
    /// The file as reports name it.
    let label: String
    private let parse: ((RecordBatch) throws -> Void) throws -> [String: Int]

    /// The file's reconciliation before a row is read: its name, dropped columns and encoding.
    var newReport: FileReport {
        var report = FileReport(file: label)
        report.droppedColumns = dropped
        report.encoding = encoding?.rawValue
        return report
    }

    /// Opens `file` of `source` (`sourceDB` when the source is an SQLite database).
    ///
    /// - Parameters:
    ///   - known: the table's stored digests (snapshot mode, SQLite store): records with one of
    ///     them are passed over unparsed.
    ///   - showsProgress: draw a progress line for a large CSV file (when standard error is a
    ///     terminal).
    init(_ file: CanonicalFile, of source: ExportSource, sourceDB: Database?, pseudonymizer: Pseudonymizer, key: PracticeKey,
         timeZone: TimeZone, known: KnownDigests?, showsProgress: Bool) throws {
        let dates = DateParser(order: source.dateOrder, timeZone: timeZone)
        let mapping = source.mapping(file)
        let label = source.label(of: file)
        self.label = label
        if let sourceDB {
            let extract = try SQLiteExtract(file: file, source: source, db: sourceDB)
            let record = SQLiteRecord()
            let fields = FieldReader(record: record, columns: extract.columns, dates: dates, valueMaps: mapping.normalisedValues,
                                     statusColumns: extract.statusColumns)
            let batcher = RecordBatcher(parser: RowParser(file: file, pseudonymizer: pseudonymizer, fields: fields), label: label,
                                        digester: RowDigester(file: file, fields: fields, key: key), known: known)
            dropped = extract.dropped
            encoding = nil
            parse = { deliver in
                var batcher = batcher
                try extract.run(into: &batcher, record: record, deliver: deliver)
                return batcher.parser.fields.outOfVocabulary
            }
            return
        }
        let extract = try CSVExtract(file: file, source: source)
        let fields = FieldReader(record: extract.reader, columns: extract.columns, dates: dates, valueMaps: mapping.normalisedValues,
                                 statusColumns: extract.statusColumns)
        let progress = showsProgress ? ProgressLine(label: label, totalBytes: ProgressLine.size(of: source.csvPath(of: file))) : nil
        let parsing = ParsingThread(extract: extract, progress: progress,
                                    batcher: RecordBatcher(parser: RowParser(file: file, pseudonymizer: pseudonymizer, fields: fields), label: label,
                                                           digester: RowDigester(file: file, fields: fields, key: key), known: known))
        dropped = extract.dropped
        encoding = extract.reader.encoding
        parse = { deliver in try parsing.run(store: deliver) }
    }

    /// Parses the file once, calling `deliver` with each batch in file order. Returns the
    /// counts of values outside a vocabulary (stored as the fallback).
    func run(_ deliver: (RecordBatch) throws -> Void) throws -> [String: Int] {
        try parse(deliver)
    }
}
