import ConfideModel
import ConfideStore

/// The row digests (``RowDigester``) one canonical table held when a snapshot ingest started,
/// read once into memory: an open-addressing table of 64-bit digests (about 12 bytes a stored
/// row), with what the loader must still report for a row it recognises without parsing it,
/// whether the referral is `restricted` and which fields fell back to a vocabulary's fallback.
///
/// It is read by the parsing thread and never changed after it is made.
final class KnownDigests: Sendable {
    /// The digests, by slot; 0 is an empty slot (a stored digest of 0 is never matched).
    private let slots: [UInt64]
    /// The slots of restricted referrals, one bit each.
    private let restrictedBits: [UInt64]
    /// Slot → the fields (as bits of positions in `CanonicalFile.fields`) whose value fell
    /// back, for the few rows where any did.
    private let fallbackMasks: [Int: Int]
    /// Stored rows without a digest (loaded before schema version 8, from rows that waited for
    /// their referral, or whose digest is 0): they are compared the slow way.
    let undigestedRows: Int
    /// The rows with a digest.
    let count: Int

    /// The digests `builder` gathered.
    init(_ builder: Builder) {
        slots = builder.slots
        restrictedBits = builder.restrictedBits
        fallbackMasks = builder.masks
        undigestedRows = builder.undigested
        count = builder.count
    }

    /// Gathers the digests of a table of a known number of rows.
    struct Builder {
        fileprivate var slots: [UInt64]
        fileprivate var restrictedBits: [UInt64]
        fileprivate var masks: [Int: Int] = [:]
        fileprivate var undigested = 0
        fileprivate var count = 0

        /// A builder for a table of `rows` rows (at most two thirds of the slots are used).
        init(rows: Int) {
            slots = [UInt64](repeating: 0, count: rows + rows / 2 + 64)
            restrictedBits = [UInt64](repeating: 0, count: slots.count / 64 + 1)
        }

        /// Adds a stored row's digest (nil: none), whether it is restricted and its fallbacks.
        mutating func add(digest stored: Int64?, restricted: Bool, fallbacks: Int) {
            let digest = UInt64(bitPattern: stored ?? 0)
            guard digest != 0 else { undigested += 1; return }
            if count * 3 >= slots.count * 2 { grow() }
            var slot = KnownDigests.home(digest, slots.count)
            while slots[slot] != 0, slots[slot] != digest { slot = slot + 1 == slots.count ? 0 : slot + 1 }
            if slots[slot] == digest { return }
            slots[slot] = digest
            count += 1
            if restricted { restrictedBits[slot >> 6] |= 1 << UInt64(slot & 63) }
            if fallbacks != 0 { masks[slot] = fallbacks }
        }

        /// Doubles the slots (when the table grew since it was counted).
        private mutating func grow() {
            let old = self
            self = Builder(rows: old.slots.count * 2)
            self.undigested = old.undigested
            for slot in old.slots.indices where old.slots[slot] != 0 {
                add(digest: Int64(bitPattern: old.slots[slot]), restricted: old.restrictedBits[slot >> 6] & (1 << UInt64(slot & 63)) != 0,
                    fallbacks: old.masks[slot] ?? 0)
            }
        }
    }

    /// A digest's first slot. Digests are the output of a keyed PRF, so their bits are
    /// already uniform: the slot is the digest scaled to the table.
    @inline(__always) fileprivate static func home(_ digest: UInt64, _ count: Int) -> Int {
        Int(digest.multipliedFullWidth(by: UInt64(count)).high)
    }

    /// The number of slots (claims are kept per slot).
    var slotCount: Int { slots.count }

    /// The slot of `digest` when the table held it.
    @inline(__always) func slot(of digest: Int64) -> Int? {
        let value = UInt64(bitPattern: digest)
        guard value != 0 else { return nil }
        var slot = Self.home(value, slots.count)
        while true {
            let stored = slots[slot]
            if stored == value { return slot }
            if stored == 0 { return nil }
            slot = slot + 1 == slots.count ? 0 : slot + 1
        }
    }

    /// The digest held in `slot` (0 for an empty slot).
    func digest(at slot: Int) -> Int64 { Int64(bitPattern: slots[slot]) }

    /// True when the row of `slot` is a restricted referral.
    func isRestricted(_ slot: Int) -> Bool { restrictedBits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }

    /// The fields whose value fell back when the row of `slot` was loaded (bits of positions
    /// in `CanonicalFile.fields`).
    func fallbacks(_ slot: Int) -> Int { fallbackMasks[slot] ?? 0 }
}

/// Reads the digests of one table a slice at a time, so that the store thread can read the
/// next file's digests between the batches of the file it is loading (while the parsing thread
/// reads ahead). The table must not be written, nor the schema changed, until it finished.
final class KnownDigestsReader {
    private let statement: Statement
    private var builder: Builder?
    private var result: KnownDigests?
    private let table: String
    private unowned let db: Database
    typealias Builder = KnownDigests.Builder

    /// A reader of `file`'s table in `db`; nothing is read yet.
    init(file: CanonicalFile, db: Database) throws {
        table = RowParser.tableColumns(file).table
        self.db = db
        statement = try db.makeStatement("SELECT row_digest, \(file == .referrals ? "restricted" : "0"), row_fallbacks FROM \(table)")
    }

    /// Reads at most `rows` more rows.
    func advance(rows: Int) throws {
        guard result == nil else { return }
        if builder == nil { builder = Builder(rows: try db.scalarInt("SELECT count(*) FROM \(table)") ?? 0) }
        var gathered = builder!
        builder = nil
        let done = try statement.step(limit: rows) { row in
            gathered.add(digest: row.isNull(0) ? nil : Int64(row.int(0)), restricted: row.int(1) != 0, fallbacks: row.int(2))
        }
        if done { result = KnownDigests(gathered) } else { builder = gathered }
    }

    /// Reads the rest and returns the digests.
    func finish() throws -> KnownDigests {
        while result == nil { try advance(rows: Int.max) }
        return result!
    }
}
