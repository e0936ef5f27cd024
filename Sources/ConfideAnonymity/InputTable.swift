/// The records of a delimited file, with the columns that matter encoded as small integer ids.
///
/// The header names the columns; every record must have as many fields as the header. Only the
/// columns asked for are encoded; the others are kept as bytes in ``text`` and copied unchanged
/// into an output.
public struct InputTable: Sendable {
    /// The file.
    public let text: DelimitedText
    /// The column names, in file order.
    public let header: [String]
    /// The number of records (the header and blank lines not counted).
    public let recordCount: Int
    /// The encoded columns, by name.
    public let columns: [String: EncodedColumn]

    /// Reads `path` and encodes `encode` (column names).
    ///
    /// - Throws: ``AnonymityError``: `.noInput` when the file cannot be read; `.dataError` when it
    ///   is empty, has a header only, repeats a column name, lacks a column in `encode`, or has a
    ///   record with the wrong number of fields (naming the line).
    public init(path: String, encode: [String]) throws(AnonymityError) {
        try self.init(text: DelimitedText(path: path), encode: encode)
    }

    /// Encodes a file already read.
    public init(text: DelimitedText, encode: [String]) throws(AnonymityError) {
        let path = text.path
        var header: [String] = []
        var headerLine = 0
        try text.forEachRecord { (fields: RecordFields) throws(AnonymityError) -> Bool in
            header = (0..<fields.count).map { text.value(fields.starts[$0], fields.ends[$0]) }
            headerLine = fields.line
            return false
        }
        guard !header.isEmpty else { throw AnonymityError(.dataError, "\(path): the file is empty (no header, no records)") }
        var position: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let earlier = position[name] {
                throw AnonymityError(.dataError, "\(path): line \(headerLine): columns \(earlier + 1) and \(index + 1) have the same name '\(name)'")
            }
            position[name] = index
        }
        var indexes: [Int] = []
        for name in encode where !indexes.contains(position[name] ?? -1) {
            guard let index = position[name] else {
                throw AnonymityError(.dataError, "\(path): line \(headerLine): no column '\(name)' in the header")
            }
            indexes.append(index)
        }
        var interners = [ByteInterner](repeating: ByteInterner(), count: indexes.count)
        var codes = [[UInt32]](repeating: [], count: indexes.count)
        var records = 0
        let width = header.count
        try text.bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(AnonymityError) in
            var isHeader = true
            try text.forEachRecord { (fields: RecordFields) throws(AnonymityError) -> Bool in
                if isHeader { isHeader = false; return true }
                guard fields.count == width else {
                    throw AnonymityError(.dataError, "\(path): line \(fields.line): \(fields.count) fields, the header has \(width)")
                }
                for (slot, index) in indexes.enumerated() {
                    codes[slot].append(interners[slot].id(buffer, fields.starts[index], fields.ends[index], line: fields.line))
                }
                records += 1
                return true
            }
        }
        guard records > 0 else { throw AnonymityError(.dataError, "\(path): a header but no records") }
        var columns: [String: EncodedColumn] = [:]
        for (slot, index) in indexes.enumerated() {
            columns[header[index]] = EncodedColumn(text: text, name: header[index], index: index,
                                                   spellings: interners[slot], codes: codes[slot])
        }
        self.text = text
        self.header = header
        self.recordCount = records
        self.columns = columns
    }
}

/// One column of an ``InputTable`` as ids: equal values get equal ids, whatever their quoting.
public struct EncodedColumn: Sendable {
    /// The column name.
    public let name: String
    /// The column's 0-based position in the header.
    public let index: Int
    /// The distinct values, by id.
    public let values: [String]
    /// The line where each value first occurs.
    public let firstLines: [Int]
    /// Each record's value id, in record order.
    public let ids: [UInt32]

    init(text: DelimitedText, name: String, index: Int, spellings: ByteInterner, codes: [UInt32]) {
        var idOfValue: [String: UInt32] = [:]
        var values: [String] = []
        var firstLines: [Int] = []
        var idOfSpelling: [UInt32] = []
        for spelling in 0..<spellings.count {
            let value = text.value(spellings.starts[spelling], spellings.ends[spelling])
            if let id = idOfValue[value] {
                idOfSpelling.append(id)
                firstLines[Int(id)] = min(firstLines[Int(id)], spellings.firstLines[spelling])
            } else {
                let id = UInt32(values.count)
                idOfValue[value] = id
                values.append(value)
                firstLines.append(spellings.firstLines[spelling])
                idOfSpelling.append(id)
            }
        }
        self.name = name
        self.index = index
        self.values = values
        self.firstLines = firstLines
        self.ids = values.count == spellings.count ? codes : codes.map { idOfSpelling[Int($0)] }
    }
}
