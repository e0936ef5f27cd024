public import ConfideStore

/// The rows of one `COPY ... FROM STDIN` (``PostgresConnection/copy(into:columns:_:)``), in
/// PostgreSQL's text format: a row a line, values separated by tabs, `\N` for NULL, a
/// backslash, tab, newline or carriage return escaped, bytes as `\\x` and hex. Rows are sent
/// to the server in chunks of about 256 KiB.
public struct PostgresCopy {
    private let columns: Int
    private var buffer: [UInt8] = []
    private let send: ([UInt8]) -> Bool
    private var failed = false
    /// Rows written so far.
    public private(set) var rows = 0

    init(columns: Int, send: @escaping ([UInt8]) -> Bool) {
        self.columns = columns
        self.send = send
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    private static let chunk = 256 * 1024

    /// Writes one row: as many values as the copy names columns.
    public mutating func append(_ values: [DatabaseValueConvertible]) {
        precondition(values.count == columns, "a COPY row has as many values as columns")
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
        rows += 1
        if buffer.count >= Self.chunk { _ = flush() }
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
