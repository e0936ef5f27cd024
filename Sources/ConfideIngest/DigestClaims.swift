/// The store side's record of which slots of ``KnownDigests`` a record recognised by its
/// digest claimed in this run, and which stored rows a parsed row updated or compared, so that
/// two rows with one key and different content are a conflict whichever of them was parsed,
/// and so that only rows neither claimed nor seen can be absent from a snapshot.
///
/// A class, used by the store thread only, so that the check made while a row is upserted does
/// not copy the bitmaps.
final class DigestClaims {
    /// One bit per slot: a recognised record of an earlier batch claimed it.
    private var claimedEarlier: [UInt64]
    /// One bit per slot: a recognised record claimed it (this batch included).
    private var claimed: [UInt64]
    /// The slots whose stored row a changed row replaced in this run.
    private var replaced: Set<Int> = []
    /// The slots whose stored row a parsed row updated or compared (and touched) in this run.
    private var seen: Set<Int> = []
    /// The current batch's recognised records, in file order.
    private var batch: [(slot: Int, line: Int)] = []

    /// Claims for a table of `slots` slots.
    init(slots: Int) {
        claimedEarlier = [UInt64](repeating: 0, count: slots / 64 + 1)
        claimed = claimedEarlier
    }

    /// True when a recognised record claimed `slot`.
    func isClaimed(_ slot: Int) -> Bool { claimed[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }

    /// True when `slot` was claimed or its row seen by a parsed row: the row is in the export.
    func isPresent(_ slot: Int) -> Bool { isClaimed(slot) || seen.contains(slot) }

    /// True when a recognised record before `line` claimed `slot` (a record of an earlier
    /// batch, or of this batch on an earlier line). Asked only for a changed row.
    func isClaimed(_ slot: Int, before line: Int) -> Bool {
        guard isClaimed(slot) else { return false }
        if claimedEarlier[slot >> 6] & (1 << UInt64(slot & 63)) != 0 { return true }
        return batch.contains { $0.slot == slot && $0.line < line }
    }

    /// True when a changed row replaced the stored row of `slot` in this run.
    func wasReplaced(_ slot: Int) -> Bool { replaced.contains(slot) }

    /// The current batch's recognised records begin to be counted.
    func beginBatch(_ recognised: [(slot: Int, line: Int)]) { batch = recognised }

    /// A record recognised by the digest in `slot`.
    @inline(__always) func claim(_ slot: Int) {
        claimed[slot >> 6] |= 1 << UInt64(slot & 63)
    }

    /// A parsed row was compared with the stored row of `slot` (and touched when unchanged).
    func see(_ slot: Int) { seen.insert(slot) }

    /// A changed row replaced the stored row of `slot`. Returns the lines of this batch's
    /// records recognised by its digest, which came after the changed row (earlier ones make
    /// it a conflict instead), so that they are counted as conflicts.
    func replace(_ slot: Int) -> [Int] {
        replaced.insert(slot)
        seen.insert(slot)
        if claimedEarlier[slot >> 6] & (1 << UInt64(slot & 63)) != 0 { return [] }
        return batch.filter { $0.slot == slot }.map(\.line)
    }

    /// The current batch is stored: its claims become claims of an earlier batch.
    func endBatch() {
        for (slot, _) in batch { claimedEarlier[slot >> 6] |= 1 << UInt64(slot & 63) }
        batch = []
    }
}
