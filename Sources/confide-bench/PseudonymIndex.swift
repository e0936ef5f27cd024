/// Pseudonyms to dense indexes: open addressing with linear probing, indexed by the
/// pseudonym's own bits (HMAC output, uniformly spread, so no hash function is needed). Five
/// million lookups into a table of a million referrals took 20 % of the stage with Swift's
/// `Dictionary` (SipHash of each key and a resize on growth); `confide-bench dp-counts-stage`.
struct PseudonymIndex {
    /// One slot: key and value side by side, so that a lookup touches one cache line.
    private struct Entry {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var value: Int32 = -1
    }

    private var entries: [Entry]
    private var mask: Int
    /// The number of keys held.
    private(set) var count = 0

    /// An empty index with room for `capacity` keys before it grows.
    init(capacity: Int = 512) {
        var size = 1024
        while size < 2 * capacity { size *= 2 }
        entries = [Entry](repeating: Entry(), count: size)
        mask = size - 1
    }

    /// The value of `key`, or nil.
    subscript(key: PseudonymKey) -> Int32? {
        entries.withUnsafeBufferPointer { entries in
            var slot = Int(truncatingIfNeeded: key.low) & mask
            while entries[slot].value >= 0 {
                if entries[slot].high == key.high && entries[slot].low == key.low { return entries[slot].value }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// Sets the value of `key` (a value ≥ 0).
    mutating func insert(_ key: PseudonymKey, _ value: Int32) {
        if 2 * (count + 1) > entries.count { grow() }
        var slot = Int(truncatingIfNeeded: key.low) & mask
        while entries[slot].value >= 0 {
            if entries[slot].high == key.high && entries[slot].low == key.low { entries[slot].value = value; return }
            slot = (slot + 1) & mask
        }
        entries[slot] = Entry(high: key.high, low: key.low, value: value)
        count += 1
    }

    /// The dense index of `key`: the number of keys before it, given when it is first seen.
    mutating func denseIndex(_ key: PseudonymKey) -> Int32 {
        if let existing = self[key] { return existing }
        let next = Int32(count)
        insert(key, next)
        return next
    }

    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(), count: old.count * 2)
        mask = entries.count - 1
        count = 0
        for entry in old where entry.value >= 0 { insert(PseudonymKey(high: entry.high, low: entry.low), entry.value) }
    }
}

/// A pseudonym (a 16-byte BLOB, 128 bits) as two numbers, hashed and compared without an
/// array or a `String`. Only for the benchmark's own store, whose pseudonyms are all 16 bytes:
/// a longer value is folded into the numbers and two such values could share a key.
struct PseudonymKey: Hashable {
    let high: UInt64
    let low: UInt64

    init(_ bytes: UnsafeRawBufferPointer) {
        var high: UInt64 = 0, low: UInt64 = 0
        for offset in bytes.indices {
            let byte = UInt64(bytes[offset])
            if offset < 8 { high = high &<< 8 | byte } else { low = low &<< 8 &+ byte }
        }
        self.high = high
        self.low = low
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}
