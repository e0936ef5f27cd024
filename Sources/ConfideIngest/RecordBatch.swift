/// Records parsed from one file, in file order: the unit handed from parsing to the store.
///
/// A batch holds at most ``RecordBatcher/capacity`` records, so the memory of a load is
/// bounded by the batch size, whatever the size of the file.
struct RecordBatch: Sendable {
    /// The validated rows, in file order.
    var rows: [CanonicalRow] = []
    /// The line (CSV) or row number (SQLite) each row came from.
    var rowLines: [Int] = []
    /// The records rejected while parsing: their line and the first check that failed.
    var rejected: [(line: Int, rejection: RowRejection)] = []

    /// The number of records read.
    var count: Int { rows.count + rejected.count }
}

/// The parsing side of a load: validates and pseudonymises each record offered by a source
/// and groups the results into ``RecordBatch``es. It never touches the store.
struct RecordBatcher {
    /// Records per batch. With at most three batches alive (see ``ParsingThread``) a load
    /// holds at most about 50,000 parsed rows, about 20 MiB, whatever the size of the file.
    static let capacity = 16_384

    /// The one validation path.
    var parser: RowParser
    /// The file's label (for messages).
    let label: String
    private var batch = RecordBatch()

    /// A batcher that validates with `parser`.
    init(parser: RowParser, label: String) {
        self.parser = parser
        self.label = label
        reserve()
    }

    /// Validates the source's current record; `shape` is a whole-record problem the source
    /// already found (ragged row, unterminated quote, …). Hands a full batch to `deliver`.
    mutating func offer(line: Int, shape: RowRejection?, deliver: (RecordBatch) throws -> Void) throws {
        if let shape {
            batch.rejected.append((line, shape))
        } else {
            do {
                batch.rows.append(try parser.parse())
                batch.rowLines.append(line)
            } catch {
                batch.rejected.append((line, error))
            }
        }
        if batch.count >= Self.capacity { try flush(deliver: deliver) }
    }

    /// Hands the records not yet delivered to `deliver`.
    mutating func flush(deliver: (RecordBatch) throws -> Void) throws {
        guard batch.count > 0 else { return }
        let full = batch
        batch = RecordBatch()
        reserve()
        try deliver(full)
    }

    private mutating func reserve() {
        batch.rows.reserveCapacity(Self.capacity)
        batch.rowLines.reserveCapacity(Self.capacity)
    }
}
