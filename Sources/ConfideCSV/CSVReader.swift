#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader: quoted fields with separators, quotes and newlines; LF, CRLF
/// and CR line ends; a byte-order mark; UTF-8, UTF-16 and Windows-1252 (transcoded to UTF-8 a
/// block at a time); `,`, `;` or tab separators.
///
/// Memory stays flat: the file is read in fixed chunks, one record is held at a time, a field
/// longer than ``maxFieldBytes`` is cut and flagged instead of grown, and a record with more
/// than ``maxFields`` fields is flagged. The reader never throws on malformed content: it flags
/// the record, and the caller quarantines it.
///
/// A reader is used by one thread at a time, so its state skips Swift's run-time exclusivity
/// checks (`@exclusivity(unchecked)`), which cost about a tenth of the parsing time.
public final class CSVReader {
    private let file: UnsafeMutablePointer<FILE>
    @exclusivity(unchecked) private var chunk: [UInt8]
    @exclusivity(unchecked) private var raw: [UInt8] = []
    private var transcoder: Transcoder?
    @exclusivity(unchecked) private var position = 0
    @exclusivity(unchecked) private var filled = 0
    @exclusivity(unchecked) private var atEOF = false
    @exclusivity(unchecked) private var line = 1

    /// The encoding the file is read in (configured or detected).
    public let encoding: ResolvedEncoding
    /// The separator in use (detected from the header line unless given).
    public private(set) var separator: UInt8 = UInt8(ascii: ",")
    /// The longest field kept; longer fields are cut and ``oversizedField`` is set.
    public let maxFieldBytes: Int
    /// The most fields a record may have; more set ``tooManyFields``.
    public let maxFields: Int
    /// Bytes of the file read so far (for progress).
    @exclusivity(unchecked) public private(set) var bytesConsumed = 0
    /// The physical line on which the current record starts (1-based).
    @exclusivity(unchecked) public private(set) var recordLine = 0
    /// The bytes of the current record's fields, back to back.
    @exclusivity(unchecked) public private(set) var bytes: [UInt8] = []
    /// The end offset in ``bytes`` of each field of the current record.
    @exclusivity(unchecked) public private(set) var fieldEnds: [Int] = []
    /// The 0-based index of the first field that was longer than ``maxFieldBytes``.
    @exclusivity(unchecked) public private(set) var oversizedField: Int?
    /// The 0-based index of the first field that contains a NUL byte.
    @exclusivity(unchecked) public private(set) var nulField: Int?
    /// True when the record ended inside an open quote (at the end of the file).
    @exclusivity(unchecked) public private(set) var unterminatedQuote = false
    /// The 0-based index of the first field with characters after its closing quote.
    @exclusivity(unchecked) public private(set) var strayQuoteField: Int?
    /// True when the record had more than ``maxFields`` fields (the rest were not kept).
    @exclusivity(unchecked) public private(set) var tooManyFields = false

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - separator: the field separator, or nil to detect `,`, `;` or tab from the first line.
    ///   - encoding: the configured encoding, or `.auto` to detect it.
    ///   - maxFieldBytes: the longest field kept whole.
    ///   - maxFields: the most fields a record may have.
    /// - Throws: ``CSVReaderError`` when the file cannot be opened or its byte-order mark
    ///   contradicts the configured encoding.
    public init(path: String, separator: UInt8? = nil, encoding: TextEncoding = .auto,
                maxFieldBytes: Int = 1 << 20, maxFields: Int = 4096) throws(CSVReaderError) {
        guard let file = fopen(path, "rb") else {
            throw CSVReaderError.cannotOpen(errno: errno)
        }
        self.file = file
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        var first = [UInt8](repeating: 0, count: 1 << 18)
        let count = first.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
        bytesConsumed = count
        let resolved: (ResolvedEncoding, Int)
        do {
            resolved = try EncodingDetector.resolve(first[0..<count], configured: encoding)
        } catch {
            fclose(file)
            throw error
        }
        self.encoding = resolved.0
        if resolved.0 == .utf8 {
            chunk = first
            filled = count
            position = resolved.1
            atEOF = count < first.count
        } else {
            var transcoder = Transcoder(resolved.0)
            chunk = []
            chunk.reserveCapacity(3 << 18)
            transcoder.transcode(first[resolved.1..<count], into: &chunk, final: count < first.count)
            self.transcoder = transcoder
            raw = first
            filled = chunk.count
            atEOF = count < first.count
        }
        self.separator = separator ?? detectSeparator()
    }

    deinit { fclose(file) }

    /// The number of fields in the current record.
    public var fieldCount: Int { fieldEnds.count }

    /// The bytes of field `index` of the current record.
    public func fieldBytes(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return bytes[start..<fieldEnds[index]]
    }

    /// Field `index` as a string, or nil when its bytes are not valid UTF-8.
    public func field(_ index: Int) -> String? {
        String(validating: fieldBytes(index), as: UTF8.self)
    }

    /// True when every field of the current record is empty.
    public var isBlank: Bool { bytes.isEmpty }

    /// Reads the next record; false at the end of the file.
    public func next() -> Bool {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        oversizedField = nil
        nulField = nil
        unterminatedQuote = false
        strayQuoteField = nil
        tooManyFields = false
        var b = nextByte()
        if b < 0 { return false }
        recordLine = line
        let quote = Int(UInt8(ascii: "\"")), sep = Int(separator), lf = 10, cr = 13
        var fieldLength = 0
        while true {
            fieldLength = 0
            if b == quote {
                quoted: while true {
                    b = nextByte()
                    if b < 0 { unterminatedQuote = true; break quoted }
                    if b == quote {
                        b = nextByte()
                        if b == quote { append(b, &fieldLength); continue }
                        break quoted
                    }
                    if b == lf { line += 1 } else if b == cr {
                        line += 1
                        if peekByte() == lf { append(b, &fieldLength); b = nextByte() }
                    }
                    append(b, &fieldLength)
                }
                if b >= 0, b != sep, b != lf, b != cr {
                    if strayQuoteField == nil { strayQuoteField = fieldEnds.count }
                    while b >= 0, b != sep, b != lf, b != cr { append(b, &fieldLength); b = nextByte() }
                }
            } else {
                while b >= 0, b != sep, b != lf, b != cr {
                    append(b, &fieldLength)
                    b = nextByte()
                }
            }
            endField()
            if b == sep { b = nextByte(); if b < 0 { endField(); return true }; continue }
            if b == cr { line += 1; if peekByte() == lf { _ = nextByte() } } else if b == lf { line += 1 }
            return true
        }
    }

    @inline(__always) private func endField() {
        if fieldEnds.count < maxFields { fieldEnds.append(bytes.count) } else { tooManyFields = true }
    }

    @inline(__always) private func append(_ b: Int, _ fieldLength: inout Int) {
        fieldLength += 1
        if fieldLength > maxFieldBytes || fieldEnds.count >= maxFields {
            if fieldLength > maxFieldBytes, oversizedField == nil { oversizedField = fieldEnds.count }
            return
        }
        if b == 0, nulField == nil { nulField = fieldEnds.count }
        bytes.append(UInt8(truncatingIfNeeded: b))
    }

    @inline(__always) private func nextByte() -> Int {
        if position == filled {
            if atEOF { return -1 }
            refill()
            if filled == 0 { return -1 }
        }
        let b = chunk[position]
        position += 1
        return Int(b)
    }

    @inline(__always) private func peekByte() -> Int {
        if position == filled {
            if atEOF { return -1 }
            refill()
            if filled == 0 { return -1 }
        }
        return Int(chunk[position])
    }

    private func refill() {
        position = 0
        guard var transcoder else {
            let count = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
            bytesConsumed += count
            filled = count
            if count < chunk.count { atEOF = true }
            return
        }
        chunk.removeAll(keepingCapacity: true)
        while chunk.isEmpty, !atEOF {
            let count = raw.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
            bytesConsumed += count
            if count < raw.count { atEOF = true }
            transcoder.transcode(raw[0..<count], into: &chunk, final: atEOF)
        }
        self.transcoder = transcoder
        filled = chunk.count
    }

    /// Picks the most frequent of `,`, `;` and tab on the first line, outside quotes.
    private func detectSeparator() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 9: 0]
        var inQuotes = false
        for b in chunk[position..<filled] {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if !inQuotes, b == 10 || b == 13 { break }
            if !inQuotes, counts[b] != nil { counts[b]! += 1 }
        }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
        return best.value > 0 ? best.key : UInt8(ascii: ",")
    }
}

/// Why a CSV file could not be read at all.
public enum CSVReaderError: Error, Sendable, Equatable {
    /// `fopen` failed with this errno.
    case cannotOpen(errno: Int32)
    /// The byte-order mark names an encoding other than the configured one.
    case encodingMismatch(found: String, configured: String)
}
