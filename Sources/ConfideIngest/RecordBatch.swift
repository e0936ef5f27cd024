import ConfideModel

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
    /// The records whose digest the table held when the ingest started (snapshot mode): the
    /// slot of the digest in ``KnownDigests`` and the line, in file order. They were not parsed.
    var recognised: [(slot: Int, line: Int)] = []

    /// The number of records read.
    var count: Int { rows.count + rejected.count + recognised.count }
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
    /// Digests each record (nil: rows are stored without a digest).
    private let digester: RowDigester?
    /// The digests the table held (snapshot mode): a record with one of them is not parsed.
    private let known: KnownDigests?
    private var digestBuffer: [UInt8] = []
    private var batch = RecordBatch()

    /// A batcher that validates with `parser`, digests with `digester` and passes over the
    /// records whose digest `known` holds.
    init(parser: RowParser, label: String, digester: RowDigester? = nil, known: KnownDigests? = nil) {
        self.parser = parser
        self.label = label
        self.digester = digester
        self.known = known
        reserve()
    }

    /// Validates the source's current record; `shape` is a whole-record problem the source
    /// already found (ragged row, unterminated quote, …). Hands a full batch to `deliver`.
    mutating func offer(line: Int, shape: RowRejection?, deliver: (RecordBatch) throws -> Void) throws {
        if let shape {
            batch.rejected.append((line, shape))
        } else {
            var digest: Int64?
            if let digester {
                let value = digester.digest(of: parser.fields.record, buffer: &digestBuffer)
                if let known, let slot = known.slot(of: value) {
                    batch.recognised.append((slot, line))
                    countFallbacks(known.fallbacks(slot))
                    if batch.count >= Self.capacity { try flush(deliver: deliver) }
                    return
                }
                digest = value
            }
            let fallbacksBefore = parser.fields.fallbackCount
            do {
                var row = try parser.parse()
                if parser.fields.fallbackCount != fallbacksBefore {
                    let mask = fallbackMask()
                    if mask < 0 { digest = nil } else { row.fallbacks = mask }
                }
                row.digest = digest
                batch.rows.append(row)
                batch.rowLines.append(line)
            } catch {
                batch.rejected.append((line, error))
            }
            if parser.fields.fallbackCount != fallbacksBefore { lastFallbacks = parser.fields.outOfVocabulary }
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

    /// The counts of values outside a vocabulary when a record last fell back.
    private var lastFallbacks: [String: Int] = [:]

    /// The fields that fell back in the record just parsed, as bits of their positions in
    /// `CanonicalFile.fields`; -1 when one is not a field of the file (the row gets no digest).
    private func fallbackMask() -> Int {
        let fields = parser.file.fields
        var mask = 0
        for (field, count) in parser.fields.outOfVocabulary where count != lastFallbacks[field, default: 0] {
            guard let position = fields.firstIndex(of: field), position < 63 else { return -1 }
            mask |= 1 << position
        }
        return mask
    }

    /// Counts the fallbacks of a record recognised by its digest, as parsing it would have.
    private mutating func countFallbacks(_ mask: Int) {
        guard mask != 0 else { return }
        for (position, field) in parser.file.fields.enumerated() where position < 63 && mask & (1 << position) != 0 {
            parser.fields.outOfVocabulary[field, default: 0] += 1
            parser.fields.fallbackCount += 1
        }
        lastFallbacks = parser.fields.outOfVocabulary
    }

    private mutating func reserve() {
        batch.rows.reserveCapacity(Self.capacity)
        batch.rowLines.reserveCapacity(Self.capacity)
    }
}
