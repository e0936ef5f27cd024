/// Dense ids for the distinct byte strings of one column: an open-addressing table over ranges
/// of the file's bytes, so a value seen before costs a hash and a compare, never a `String`.
struct ByteInterner {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    /// The first range spelling each id, in id order.
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    /// The line where each id was first seen.
    private(set) var firstLines: [Int] = []
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
    }

    /// The number of distinct byte strings seen.
    var count: Int { starts.count }

    /// The id of `bytes[start..<end]`, a new one when it was not seen before.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, line: Int) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<end { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        let length = end - start
        while true {
            let found = slots[slot]
            if found < 0 { break }
            let id = Int(found)
            if hashes[id] == hash && ends[id] - starts[id] == length
                && (length == 0 || memcmpEqual(bytes, starts[id], start, length)) {
                return UInt32(id)
            }
            slot = (slot + 1) & mask
        }
        let id = starts.count
        slots[slot] = Int32(id)
        hashes.append(hash)
        starts.append(start)
        ends.append(end)
        firstLines.append(line)
        if starts.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    private func memcmpEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ length: Int) -> Bool {
        for offset in 0..<length where bytes[a + offset] != bytes[b + offset] { return false }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: (hashes[id] &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }
}
