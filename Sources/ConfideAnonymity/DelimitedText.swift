#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A delimited text file held in memory: `;` or `,` separated (detected from the first line),
/// LF or CRLF line ends, RFC 4180 quotes (a quoted field may hold the separator, `""` and line
/// breaks). Blank lines are skipped.
///
/// Fields are handed out as byte ranges into ``bytes`` (quotes included), so a caller can copy a
/// field to an output unchanged, or intern it without building a `String`.
public struct DelimitedText: Sendable {
    /// The file the text was read from (for messages).
    public let path: String
    /// The whole file.
    public let bytes: [UInt8]
    /// The field separator.
    public let separator: UInt8
    /// The line end of the first line: CRLF or LF.
    public let lineEnd: [UInt8]

    /// Reads `path` whole.
    ///
    /// - Throws: ``AnonymityError`` `.noInput` when the file cannot be read.
    public init(path: String) throws(AnonymityError) {
        guard let file = fopen(path, "rb") else {
            throw AnonymityError(.noInput, "\(path): cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 { throw AnonymityError(.noInput, "\(path): read error") }
                break
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.init(path: path, bytes: bytes)
    }

    /// Wraps bytes already in memory (tests).
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        separator = Self.detectSeparator(firstLine)
        lineEnd = firstLine.last == UInt8(ascii: "\r") ? [13, 10] : [10]
    }

    /// `;` when the first line has at least as many `;` as `,` outside quotes (ARX's format),
    /// else `,`.
    static func detectSeparator(_ line: ArraySlice<UInt8>) -> UInt8 {
        var semicolons = 0, commas = 0, quoted = false
        for byte in line {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted && byte == UInt8(ascii: ";") { semicolons += 1 }
            else if !quoted && byte == UInt8(ascii: ",") { commas += 1 }
        }
        return commas > semicolons ? UInt8(ascii: ",") : UInt8(ascii: ";")
    }

    /// Calls `body` for each record in order with its fields and the line it starts on
    /// (1-based). `body` returns false to stop early.
    ///
    /// - Throws: ``AnonymityError`` `.dataError` for a quote left open at the end of the file,
    ///   or whatever `body` throws.
    public func forEachRecord(_ body: (RecordFields) throws(AnonymityError) -> Bool) throws(AnonymityError) {
        let separator = self.separator
        let path = self.path
        var fields = RecordFields()
        try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(AnonymityError) in
            let end = buffer.count
            var position = 0
            var line = 1
            while position < end {
                // Blank lines.
                let first = buffer[position]
                if first == 10 { position += 1; line += 1; continue }
                if first == 13 {
                    position += (position + 1 < end && buffer[position + 1] == 10) ? 2 : 1
                    line += 1
                    continue
                }
                fields.removeAll()
                fields.line = line
                var fieldStart = position
                var quoted = false
                var recordDone = false
                while !recordDone {
                    if position == end {
                        if quoted {
                            throw AnonymityError(.dataError, "\(path): line \(fields.line): a quoted field is not closed before the end of the file")
                        }
                        fields.append(fieldStart, end)
                        break
                    }
                    let byte = buffer[position]
                    if quoted {
                        if byte == 34 {
                            if position + 1 < end && buffer[position + 1] == 34 { position += 2 } else { quoted = false; position += 1 }
                        } else {
                            if byte == 10 { line += 1 }
                            position += 1
                        }
                        continue
                    }
                    switch byte {
                    case separator:
                        fields.append(fieldStart, position)
                        position += 1
                        fieldStart = position
                    case 10:
                        fields.append(fieldStart, position)
                        position += 1
                        line += 1
                        recordDone = true
                    case 13:
                        fields.append(fieldStart, position)
                        position += (position + 1 < end && buffer[position + 1] == 10) ? 2 : 1
                        line += 1
                        recordDone = true
                    case 34 where position == fieldStart:
                        quoted = true
                        position += 1
                    default:
                        position += 1
                    }
                }
                if !(try body(fields)) { return }
            }
        }
    }

    /// The value of the field `start..<end`: the bytes themselves, or for a quoted field the
    /// text between the quotes with `""` read as `"`.
    public func value(_ start: Int, _ end: Int) -> String {
        Self.value(of: bytes[start..<end])
    }

    /// The value a raw field spells (see ``value(_:_:)``).
    static func value(of raw: ArraySlice<UInt8>) -> String {
        guard raw.count >= 2, raw.first == 34, raw.last == 34 else { return String(decoding: raw, as: UTF8.self) }
        var inner: [UInt8] = []
        inner.reserveCapacity(raw.count - 2)
        var index = raw.startIndex + 1
        let last = raw.endIndex - 1
        while index < last {
            inner.append(raw[index])
            index += (raw[index] == 34 && index + 1 < last && raw[index + 1] == 34) ? 2 : 1
        }
        return String(decoding: inner, as: UTF8.self)
    }

    /// `value` as a field of this file: quoted when it holds the separator, a quote or a line
    /// break.
    public func encoded(_ value: String) -> [UInt8] {
        let utf8 = Array(value.utf8)
        guard utf8.contains(where: { $0 == separator || $0 == 34 || $0 == 10 || $0 == 13 }) else { return utf8 }
        var out: [UInt8] = [34]
        for byte in utf8 {
            out.append(byte)
            if byte == 34 { out.append(34) }
        }
        out.append(34)
        return out
    }
}

/// The fields of one record: byte ranges into the file, quotes included.
public struct RecordFields: Sendable {
    /// The start offset of each field.
    public private(set) var starts: [Int] = []
    /// The end offset (exclusive) of each field.
    public private(set) var ends: [Int] = []
    /// The line the record starts on (1-based).
    public internal(set) var line = 0

    /// The number of fields.
    public var count: Int { starts.count }

    mutating func removeAll() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    mutating func append(_ start: Int, _ end: Int) {
        starts.append(start)
        ends.append(end)
    }
}
