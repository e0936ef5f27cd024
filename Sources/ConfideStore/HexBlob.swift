import CSQLite

/// Keys kept as BLOBs in the store and as lowercase hex text in memory.
///
/// A 16-byte key stored as a BLOB takes 17 bytes of a record against 33 as 32 hex digits, in
/// the table and in every index that holds it. Hex keeps the order: lowercase hex digits sort
/// as the nibbles they stand for, so `ORDER BY` over the BLOBs gives the order the hex text had.
public enum HexBlob {
    /// The bytes written by `text` (hex digits, either case), or nil unless it is an even number
    /// of hex digits.
    public static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            guard let nibble = nibble(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }

    /// `bytes` as lowercase hex text.
    public static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { write(bytes, into: $0) }
    }

    /// Writes `bytes` as lowercase hex digits into `digits` (room for two a byte); returns how
    /// many it wrote. For callers that compare hex without making a `String`.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, into digits: UnsafeMutableBufferPointer<UInt8>) -> Int {
        for (index, byte) in bytes.enumerated() {
            digits[2 * index] = digit(byte >> 4)
            digits[2 * index + 1] = digit(byte & 0x0f)
        }
        return bytes.count * 2
    }

    /// `bytes` as lowercase hex text.
    public static func text(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { text($0) }
    }

    static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension DatabaseValue {
    /// The BLOB written by hex `text`; text that is not hex stays text (it then matches no
    /// stored key, as before).
    public static func blob(hex text: String) -> DatabaseValue {
        HexBlob.bytes(text).map(DatabaseValue.blob) ?? .text(text)
    }
}

extension Row {
    /// The column's bytes as lowercase hex text ("" for NULL): a BLOB key as the rest of
    /// confide holds it.
    public func hex(_ index: Int) -> String {
        withBlob(index) { HexBlob.text($0) }
    }
}

extension Row {
    /// Calls `body` with the column's bytes (empty for NULL), without copying them. The bytes
    /// are valid only inside `body`.
    public func withBlob<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let length = Int(sqlite3_column_bytes(statement.handle, Int32(index)))
        guard length > 0, let pointer = sqlite3_column_blob(statement.handle, Int32(index)) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}

extension Database {
    /// Defines the SQL function `name(text)`: the BLOB that hex `text` writes (NULL for NULL;
    /// an error for text that is not hex, so that a migration fails whole rather than storing
    /// a wrong key). SQLite 3.40 has no `unhex`; a migration that turns hex keys into BLOBs
    /// calls this one.
    public func defineHexDecoder(named name: String) throws {
        let code = sqlite3_create_function_v2(handle, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, _, values in
            guard let value = values?[0], sqlite3_value_type(value) != SQLITE_NULL else {
                sqlite3_result_null(context)
                return
            }
            let length = Int(sqlite3_value_bytes(value))
            let text = sqlite3_value_text(value).map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            guard let bytes = HexBlob.bytes(text) else {
                sqlite3_result_error(context, "a key that is not hex text", -1)
                return
            }
            bytes.withUnsafeBytes { sqlite3_result_blob(context, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code: code) }
    }
}
