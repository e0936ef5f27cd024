import ConfideStore

/// A referral's or client's pseudonym as the metrics hold it: the stored key's bytes (16 since
/// schema version 10) as two integers, so that it is hashed and compared without a `String`
/// (32 hex characters, a heap allocation for every referral, contact and add to a table at
/// 1,000,000 clients). It orders as its lowercase hex text does, bytes first to last, a key
/// that is a prefix of another first; ``hex`` gives that text where one is needed (case lists).
struct Pseudonym: Hashable, Comparable, Sendable {
    /// Bytes 0 to 7, big-endian (zero beyond the key's length).
    private let high: UInt64
    /// Bytes 8 to 15, big-endian (zero beyond the key's length).
    private let low: UInt64
    /// Bytes after the 16th (none for a stored pseudonym).
    private let tail: [UInt8]
    /// The key's length in bytes.
    private let length: Int

    /// The pseudonym in `bytes`.
    init(bytes: UnsafeRawBufferPointer) {
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<min(bytes.count, 16) {
            let byte = UInt64(bytes[index])
            if index < 8 { high |= byte << (56 - 8 * UInt64(index)) } else { low |= byte << (56 - 8 * UInt64(index - 8)) }
        }
        self.high = high
        self.low = low
        tail = bytes.count > 16 ? Array(bytes[16...]) : []
        length = bytes.count
    }

    /// A stand-in for a client the store numbered (``PostgresWeeklyMetrics``: the server
    /// numbers clients so that their pseudonyms stay on it): its number's eight bytes.
    init(number: Int) {
        self = withUnsafeBytes(of: UInt64(number).bigEndian) { Pseudonym(bytes: $0) }
    }

    /// The pseudonym in column `index` of `row` (a BLOB key; empty for NULL).
    init(_ row: Row, _ index: Int) {
        self = row.withBlob(index) { Pseudonym(bytes: $0) }
    }

    /// The key's bytes, as stored.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for index in 0..<min(length, 16) {
            bytes.append(UInt8(truncatingIfNeeded: (index < 8 ? high >> (56 - 8 * UInt64(index)) : low >> (56 - 8 * UInt64(index - 8)))))
        }
        return bytes + tail
    }

    /// The key as lowercase hex text, as `Row.hex` reads it.
    var hex: String { bytes.withUnsafeBytes { HexBlob.text($0) } }

    /// Ordered as the hex text: by bytes, then a prefix before the longer key.
    static func < (lhs: Pseudonym, rhs: Pseudonym) -> Bool {
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        if lhs.low != rhs.low { return lhs.low < rhs.low }
        if lhs.tail != rhs.tail { return lhs.tail.lexicographicallyPrecedes(rhs.tail) }
        return lhs.length < rhs.length
    }
}
