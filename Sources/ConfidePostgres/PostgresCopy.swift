public import ConfideStore

/// The rows of one `COPY ... FROM STDIN` (``PostgresConnection/copy(into:columns:format:_:)``),
/// sent to the server in chunks of about 256 KiB, in one of PostgreSQL's two formats:
///
/// - ``Format/text``: a row a line, values separated by tabs, `\N` for NULL, a backslash, tab,
///   newline or carriage return escaped, bytes as `\\x` and hex. Any column type.
/// - ``Format/binary``: each value as its length and its bytes: an integer as an 8-byte
///   `BIGINT`, a double as `DOUBLE PRECISION`, text as UTF-8, bytes as they are (no hex for the
///   server to decode). The columns must be of those types (the store's are).
public struct PostgresCopy {
    /// How rows are written.
    public enum Format: Sendable {
        /// PostgreSQL's text format (any column type).
        case text
        /// PostgreSQL's binary format (columns `BIGINT`, `DOUBLE PRECISION`, `TEXT`, `BYTEA`).
        case binary
    }

    private let columns: Int
    private let format: Format
    private var buffer: [UInt8] = []
    private let send: ([UInt8]) -> Bool
    private var failed = false
    /// Rows written so far.
    public private(set) var rows = 0

    init(columns: Int, format: Format = .text, send: @escaping ([UInt8]) -> Bool) {
        self.columns = columns
        self.format = format
        self.send = send
        buffer.reserveCapacity(Self.chunk + 4096)
        if format == .binary {
            // Signature, flags (no OIDs), header extension length.
            buffer += Array("PGCOPY\n".utf8) + [0xff, 0x0d, 0x0a, 0x00]
            appendBigEndian(UInt32(0))
            appendBigEndian(UInt32(0))
        }
    }

    private static let chunk = 256 * 1024

    /// Writes one row: as many values as the copy names columns.
    public mutating func append(_ values: [DatabaseValueConvertible]) {
        precondition(values.count == columns, "a COPY row has as many values as columns")
        if format == .binary {
            appendBinary(values)
        } else {
            appendText(values)
        }
        rows += 1
        if buffer.count >= Self.chunk { _ = flush() }
    }

    private mutating func appendBinary(_ values: [DatabaseValueConvertible]) {
        appendBigEndian(UInt16(values.count))
        for value in values {
            switch value.databaseValue {
            case .null:
                appendBigEndian(UInt32(bitPattern: -1))
            case .integer(let number):
                appendBigEndian(UInt32(8))
                appendBigEndian(UInt64(bitPattern: number))
            case .real(let number):
                appendBigEndian(UInt32(8))
                appendBigEndian(number.bitPattern)
            case .text(let text):
                let utf8 = text.utf8
                appendBigEndian(UInt32(utf8.count))
                buffer += utf8
            case .blob(let bytes):
                appendBigEndian(UInt32(bytes.count))
                buffer += bytes
            }
        }
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer += $0 }
    }

    private mutating func appendText(_ values: [DatabaseValueConvertible]) {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            switch value.databaseValue {
            case .null:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "N"))
            case .integer(let number):
                buffer.append(contentsOf: String(number).utf8)
            case .real(let number):
                buffer.append(contentsOf: String(number).utf8)
            case .text(let text):
                appendEscaped(text)
            case .blob(let bytes):
                buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
                for byte in bytes {
                    buffer.append(hexDigits[Int(byte >> 4)])
                    buffer.append(hexDigits[Int(byte & 0x0f)])
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    private mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }

    /// Ends the copy's data (the binary format's trailer) and sends what is buffered; false
    /// once a send has failed.
    mutating func finish() -> Bool {
        if format == .binary { appendBigEndian(UInt16(bitPattern: -1)) }
        return flush()
    }

    /// Sends what is buffered; false once a send has failed.
    mutating func flush() -> Bool {
        if !buffer.isEmpty, !failed {
            failed = !send(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        return !failed
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
