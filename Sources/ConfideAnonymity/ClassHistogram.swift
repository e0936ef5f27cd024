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

/// Groups packed keys into a ``ClassHistogram``: an open-addressing hash from key to the
/// class's position in the histogram, reused for every roll-up. A slot is empty when its
/// position is 0 (positions are stored plus one).
final class GroupingTable {
    private var slotKeys: UnsafeMutablePointer<UInt64>
    private var slotPositions: UnsafeMutablePointer<UInt32>
    private var capacity = 0
    private var active = 16
    private var shift: UInt64 = 60

    init() {
        slotKeys = .allocate(capacity: 1)
        slotPositions = .allocate(capacity: 1)
    }

    deinit {
        slotKeys.deallocate()
        slotPositions.deallocate()
    }

    /// Empties the table for at most `entries` distinct keys (load factor at most one half).
    private func reset(forAtMost entries: Int) {
        var size = 16
        var bits: UInt64 = 4
        while size < entries * 2 { size <<= 1; bits += 1 }
        if size > capacity {
            slotKeys.deallocate()
            slotPositions.deallocate()
            slotKeys = .allocate(capacity: size)
            slotPositions = .allocate(capacity: size)
            capacity = size
        }
        active = size
        shift = 64 - bits
        slotPositions.update(repeating: 0, count: size)
    }

    /// Fills `histogram` with the classes of `keys`, one record each.
    func group(_ keys: [UInt64], into histogram: ClassHistogram) {
        reset(forAtMost: keys.count)
        var classes = 0
        keys.withUnsafeBufferPointer { source in
            let slotKeys = self.slotKeys, slotPositions = self.slotPositions, mask = active - 1, shift = self.shift
            let outKeys = histogram.keys, outCounts = histogram.counts
            for key in source {
                Self.insert(key, 1, slotKeys, slotPositions, mask, shift, outKeys, outCounts, &classes)
            }
        }
        histogram.count = classes
    }

    /// Fills `child` with `parent`'s classes, the bit field `(key >> shift) & mask` mapped
    /// through `up`.
    func rollUp(_ parent: ClassHistogram, into child: ClassHistogram, shift: UInt64, mask: UInt64, up: UnsafeBufferPointer<UInt32>) {
        reset(forAtMost: parent.count)
        let slotKeys = self.slotKeys, slotPositions = self.slotPositions, slotMask = active - 1, slotShift = self.shift
        let keys = parent.keys, counts = parent.counts, count = parent.count
        let outKeys = child.keys, outCounts = child.counts
        let keep = ~(mask << shift)
        var classes = 0
        for entry in 0..<count {
            let key = keys[entry]
            let id = Int(truncatingIfNeeded: (key >> shift) & mask)
            Self.insert((key & keep) | (UInt64(up[id]) << shift), counts[entry], slotKeys, slotPositions, slotMask, slotShift,
                        outKeys, outCounts, &classes)
        }
        child.count = classes
    }

    @inline(__always) private static func insert(_ key: UInt64, _ count: UInt32, _ slotKeys: UnsafeMutablePointer<UInt64>,
                                                 _ slotPositions: UnsafeMutablePointer<UInt32>, _ mask: Int, _ shift: UInt64,
                                                 _ outKeys: UnsafeMutablePointer<UInt64>, _ outCounts: UnsafeMutablePointer<UInt32>,
                                                 _ classes: inout Int) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let position = slotPositions[slot]
            if position == 0 {
                slotKeys[slot] = key
                outKeys[classes] = key
                outCounts[classes] = count
                classes += 1
                slotPositions[slot] = UInt32(truncatingIfNeeded: classes)
                return
            }
            if slotKeys[slot] == key {
                outCounts[Int(position) - 1] &+= count
                return
            }
            slot = (slot + 1) & mask
        }
    }
}
