/// The equivalence classes of one transformation: packed keys (one bit field per QI, and the
/// sensitive value in the low bits when l-diversity is checked) with their record counts, back
/// to back in unmanaged memory sized once for the largest histogram.
final class ClassHistogram {
    let keys: UnsafeMutablePointer<UInt64>
    let counts: UnsafeMutablePointer<UInt32>
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        keys = .allocate(capacity: self.capacity)
        counts = .allocate(capacity: self.capacity)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
    }
}

/// An open-addressing hash from packed keys to counts, reused for every roll-up. A slot is
/// empty when its count is 0.
final class GroupingTable {
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var counts: UnsafeMutablePointer<UInt32>
    private var slots = 0
    private var shift: UInt64 = 64

    init() {
        keys = .allocate(capacity: 1)
        counts = .allocate(capacity: 1)
    }

    deinit {
        keys.deallocate()
        counts.deallocate()
    }

    /// Empties the table for at most `entries` distinct keys (load factor at most one half).
    func reset(forAtMost entries: Int) {
        var size = 16
        var bits: UInt64 = 4
        while size < entries * 2 { size <<= 1; bits += 1 }
        if size > slots {
            keys.deallocate()
            counts.deallocate()
            keys = .allocate(capacity: size)
            counts = .allocate(capacity: size)
        }
        slots = max(slots, size)
        active = size
        shift = 64 - bits
        counts.update(repeating: 0, count: size)
    }

    /// The slots in use since the last ``reset(forAtMost:)``.
    private(set) var active = 0

    /// Adds one record for each of `keys`.
    func add(_ keys: [UInt64]) {
        keys.withUnsafeBufferPointer { source in
            let slotKeys = self.keys, slotCounts = self.counts, mask = active - 1, shift = self.shift
            for key in source { Self.insert(key, 1, slotKeys, slotCounts, mask, shift) }
        }
    }

    /// Adds `parent`'s classes with the bit field `(key >> shift) & mask` mapped through `up`.
    func addRolledUp(_ parent: ClassHistogram, shift: UInt64, mask: UInt64, up: UnsafeBufferPointer<UInt32>) {
        let slotKeys = self.keys, slotCounts = self.counts, slotMask = active - 1, slotShift = self.shift
        let keys = parent.keys, counts = parent.counts, count = parent.count
        let keep = ~(mask << shift)
        for entry in 0..<count {
            let key = keys[entry]
            let id = Int(truncatingIfNeeded: (key >> shift) & mask)
            Self.insert((key & keep) | (UInt64(up[id]) << shift), counts[entry], slotKeys, slotCounts, slotMask, slotShift)
        }
    }

    @inline(__always) private static func insert(_ key: UInt64, _ count: UInt32, _ keys: UnsafeMutablePointer<UInt64>,
                                                 _ counts: UnsafeMutablePointer<UInt32>, _ mask: Int, _ shift: UInt64) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let present = counts[slot]
            if present == 0 {
                keys[slot] = key
                counts[slot] = count
                return
            }
            if keys[slot] == key {
                counts[slot] = present &+ count
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Copies the occupied slots, in slot order, into `histogram`.
    func drain(into histogram: ClassHistogram) {
        var out = 0
        let keys = self.keys, counts = self.counts, outKeys = histogram.keys, outCounts = histogram.counts
        for slot in 0..<active where counts[slot] != 0 {
            outKeys[out] = keys[slot]
            outCounts[out] = counts[slot]
            out += 1
        }
        histogram.count = out
    }
}
