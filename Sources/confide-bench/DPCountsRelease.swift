import ConfideMetrics
import Foundation
import ConfideModel
import ConfidePrivacy
import ConfideStore

/// One attended appointment with a duration, as the DP comparison reads it from the store.
struct AttendedAppointment {
    /// Dense index of the client's pseudonym.
    let client: Int32
    /// Dense index of the therapist (in order of first appearance).
    let therapist: Int32
    /// The day (ordinal).
    let day: Int32
    /// `duration_minutes`.
    let minutes: Int32
}

/// The release of `bench/baselines/pipelinedp_counts.py` and `opendp_counts.py`, computed with
/// confide's engine: per (therapist, ISO week), the count of attended appointments and their
/// mean duration bounded to [0, 120] minutes, over public partitions (every therapist in the
/// data × every week from the first appointment to the last).
///
/// Like for like with the baselines: the privacy unit is one client in one ISO week; each
/// client-week keeps one therapist and at most 2 appointments; ε is split evenly between the
/// counts (sensitivity 2) and the sums of clamped minutes centred on 60 (sensitivity 2 × 60);
/// the mean is 60 + noisy sum / max(noisy count, 1), clamped to [0, 120], as in the OpenDP
/// script. The counts go through confide's own `Protector` (its contribution bounding and exact
/// discrete Laplace sampler, one cell per partition in the catalogue's `appointments`
/// histogram, cap 2); the sums use the same `ExactSampler`.
struct DPCountsRelease {
    /// The whole release's ε.
    let epsilon: Epsilon
    /// The upper bound of a duration.
    static let maxMinutes = 120
    /// Appointments one client-week may contribute.
    static let perClientWeek = 2

    /// What was released, per partition (therapist-major, then week).
    struct Released {
        var partitions: Int
        var noisyCounts: [Int64]
        var means: [Double]
    }

    /// Reads the attended appointments with a duration, with their client pseudonym and
    /// therapist, mapped to dense indexes. Two sequential scans (referrals to their clients,
    /// then appointments) instead of a join: a join seeks each appointment's referral by its
    /// 128-bit text key at a random place in the store, which was most of this stage's time.
    /// `+status` keeps SQLite from the partial index of attended contacts, which lacks the
    /// duration and would cost a row lookup per appointment (19.7 s instead of 6.6 s at
    /// 1,000,000 clients). Pseudonyms are read as 128-bit numbers straight from SQLite's
    /// bytes, and dates parsed in place, so no row allocates a `String` (6.6 s to 2.2 s at
    /// 1,000,000 clients). The appointments are read in `parts` ranges of their key, each on
    /// its own thread and read-only connection (two cores: 0.50 s to 0.33 s at 160,000
    /// clients), and joined in key order, so the result does not depend on the split.
    static func read(path: String, parts: Int = 2) throws -> (rows: [AttendedAppointment], therapists: [String]) {
        let db = try Database(path: path, mode: .readOnly)
        let referralCount = try db.scalarInt("SELECT count(*) FROM referrals") ?? 0
        var clients = PseudonymIndex(capacity: referralCount)
        var clientOfReferral = PseudonymIndex(capacity: referralCount)
        try db.makeStatement("SELECT referral_id, client_id FROM referrals").forEachRow { row in
            let referral = row.withUTF8(0, PseudonymKey.init), client = row.withUTF8(1, PseudonymKey.init)
            clientOfReferral.insert(referral, clients.denseIndex(client))
        }
        // Key ranges by leading hex digit: pseudonyms are uniform, so the parts are even.
        let bounds = (0...parts).map { $0 == parts ? "g" : String(16 * $0 / parts, radix: 16) }
        let results = PartResults(count: parts)
        let lookup = clientOfReferral
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            results.set(part, Result { try readAppointments(path: path, from: bounds[part], to: bounds[part + 1], clientOfReferral: lookup) })
        }
        var rows: [AttendedAppointment] = []
        var therapists: [String: Int32] = [:]
        for part in 0..<parts {
            let (partRows, names) = try results.get(part)
            let global = names.map { dense($0, in: &therapists) }
            rows += partRows.map { AttendedAppointment(client: $0.client, therapist: global[Int($0.therapist)], day: $0.day, minutes: $0.minutes) }
        }
        let names = therapists.sorted { $0.value < $1.value }.map(\.key)
        return (rows, names)
    }

    /// The attended appointments with a duration whose key is in `from..<to`, with therapist
    /// indexes local to this part (`names` in index order).
    private static func readAppointments(path: String, from: String, to: String, clientOfReferral: PseudonymIndex)
        throws -> (rows: [AttendedAppointment], names: [String]) {
        let db = try Database(path: path, mode: .readOnly)
        var rows: [AttendedAppointment] = []
        var therapists: [String: Int32] = [:]
        var shortNames: [UInt64: Int32] = [:]   // names of at most 7 bytes, packed with their length
        try db.makeStatement("""
            SELECT referral_id, therapist_id, date, duration_minutes FROM appointments
            WHERE appointment_id >= ?1 AND appointment_id < ?2
              AND +status IN ('attended', 'attended_late') AND duration_minutes IS NOT NULL
            """).forEachRow([from, to]) { row in
            guard let client = clientOfReferral[row.withUTF8(0, PseudonymKey.init)],
                  let day = row.withUTF8(2, { Day(isoBytes: $0) }) else { return }
            let therapist = row.withUTF8(1) { name in
                guard name.count < 8 else { return dense(String(decoding: name, as: UTF8.self), in: &therapists) }
                let packed = name.reduce(UInt64(name.count)) { $0 << 8 | UInt64($1) }
                if let index = shortNames[packed] { return index }
                let index = dense(String(decoding: name, as: UTF8.self), in: &therapists)
                shortNames[packed] = index
                return index
            }
            rows.append(AttendedAppointment(client: client, therapist: therapist, day: Int32(day.ordinal), minutes: Int32(row.int(3))))
        }
        return (rows, therapists.sorted { $0.value < $1.value }.map(\.key))
    }

    /// The dense index of `key`, a new one when it is first seen.
    private static func dense<Key: Hashable>(_ key: Key, in indexes: inout [Key: Int32]) -> Int32 {
        if let existing = indexes[key] { return existing }
        let next = Int32(indexes.count)
        indexes[key] = next
        return next
    }

    /// The public partitions: therapists sorted by id × ISO weeks from the first row's to the
    /// last row's. Returns each row's partition and week, and the partition count.
    static func partitions(_ rows: [AttendedAppointment], therapists: [String])
        -> (partition: [Int32], week: [Int32], weeks: Int, therapistOrder: [String]) {
        let order = therapists.indices.sorted { therapists[$0] < therapists[$1] }
        var rank = [Int32](repeating: 0, count: therapists.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        let firstMonday = ISOWeek(containing: Day(ordinal: Int(rows.map(\.day).min() ?? 0))).start.ordinal
        let lastDay = Int(rows.map(\.day).max() ?? 0)
        let weeks = (lastDay - firstMonday) / 7 + 1
        var partition = [Int32](repeating: 0, count: rows.count)
        var week = [Int32](repeating: 0, count: rows.count)
        for (i, row) in rows.enumerated() {
            let w = Int32((Int(row.day) - firstMonday) / 7)
            week[i] = w
            partition[i] = rank[Int(row.therapist)] * Int32(weeks) + w
        }
        return (partition, week, weeks, order.map { therapists[$0] })
    }

    /// Bounds and noises the counts (through `Protector`) and the sums of minutes.
    func release<G>(_ rows: [AttendedAppointment], partition: [Int32], week: [Int32], partitions: Int,
                    sampler: inout ExactSampler<G>) -> Released {
        // The privacy unit: a client in one week. Rows are grouped by client (a counting
        // sort), each client's rows sorted by (week, partition, day), and each client-week
        // numbered: linear in the rows but for the small per-client sorts.
        let clientCount = Int(rows.map(\.client).max() ?? -1) + 1
        var start = [Int](repeating: 0, count: clientCount + 1)
        for row in rows { start[Int(row.client) + 1] += 1 }
        for c in 0..<clientCount { start[c + 1] += start[c] }
        var fill = start
        var byClient = [Int](repeating: 0, count: rows.count)
        for i in rows.indices {
            byClient[fill[Int(rows[i].client)]] = i
            fill[Int(rows[i].client)] += 1
        }
        // Each client's rows are sorted as packed keys (week, partition, weekday, position in
        // the client's slice), plain integers: a third faster than a closure comparing tuples.
        // The clients are split in two halves of about equal rows, sorted on two threads (they
        // write disjoint parts of `byClient` and `unit`), and the second half's client-weeks
        // numbered after the first's.
        precondition(partitions < 1 << 24 && (week.max() ?? 0) < 1 << 16 && (0..<clientCount).allSatisfy { start[$0 + 1] - start[$0] < 1 << 21 },
                     "the benchmark's practice is too large to pack its sort keys")
        var unit = [Int32](repeating: 0, count: rows.count)
        let split = min(start.firstIndex { $0 >= rows.count / 2 } ?? clientCount, clientCount)
        let halves = [0..<split, split..<clientCount]
        let unitsPerHalf = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 2)
        defer { unitsPerHalf.deallocate() }
        byClient.withUnsafeMutableBufferPointer { byClient in
            unit.withUnsafeMutableBufferPointer { unit in
                func number(_ half: Int) {
                    var units: Int32 = -1
                    var keys: [UInt64] = [], slice: [Int] = []
                    for c in halves[half] where start[c] < start[c + 1] {
                        keys.removeAll(keepingCapacity: true)
                        slice.removeAll(keepingCapacity: true)
                        slice.append(contentsOf: byClient[start[c]..<start[c + 1]])
                        for (position, i) in slice.enumerated() {
                            let weekday = UInt64(((Int(rows[i].day) - 4) % 7 + 7) % 7)   // day 4 (1970-01-05) was a Monday
                            keys.append(UInt64(week[i]) << 48 | UInt64(partition[i]) << 24 | weekday << 21 | UInt64(position))
                        }
                        keys.sort()
                        var lastWeek: Int32 = -1
                        for (offset, key) in keys.enumerated() {
                            let i = slice[Int(key & (1 << 21 - 1))]
                            byClient[start[c] + offset] = i
                            if week[i] != lastWeek { units += 1; lastWeek = week[i] }
                            unit[i] = units
                        }
                    }
                    unitsPerHalf[half] = units + 1
                }
                inParallel({ number(0) }, { number(1) })
            }
        }
        for k in start[halves[1].lowerBound]..<rows.count { unit[byClient[k]] += unitsPerHalf[0] }

        // Counts: one cell per partition of the catalogue's `appointments` histogram (cap 2),
        // bounded and noised by Protector at ε/2 (one budget slot, so all of it).
        let histogram = Catalogue.histogram("appointments")!
        let cells = (0..<partitions).map { ClassCell(histogram: histogram.id, cls: "attended", groupType: .therapist, group: String($0)) }
        let contributions = rows.indices.map { Contribution(client: unit[$0], cell: partition[$0], amount: 1) }
        let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions,
                               measures: [Catalogue.measure("appointments_attended")!])
        let half = Epsilon(numerator: epsilon.numerator, denominator: epsilon.denominator * 2)
        let protector = Protector(settings: PrivacySettings(mode: .dp, epsilonPerRelease: half))
        var noisyCounts = [Int64](repeating: 0, count: partitions)

        // Sums: each unit keeps its first therapist (the lowest partition, as Protector's
        // bounding does) and its first 2 appointments with them by date: `byClient` is in
        // that order within each unit. Summed on a second thread while Protector bounds and
        // noises the counts (they share nothing but read-only input).
        let middle = Self.maxMinutes / 2
        var sums = [Int64](repeating: 0, count: partitions)
        inParallel({
            let protected = protector.protect(ExactRelease(period: ISOWeek(containing: Day(ordinal: 0)), tables: [table]), sampler: &sampler)
            for cell in protected.noisyCells { noisyCounts[Int(cell.group)!] = cell.value }
        }, {
            var currentUnit: Int32 = -1, keptPartition: Int32 = -1, kept = 0
            for i in byClient {
                if unit[i] != currentUnit { currentUnit = unit[i]; keptPartition = partition[i]; kept = 0 }
                guard partition[i] == keptPartition, kept < Self.perClientWeek else { continue }
                kept += 1
                sums[Int(partition[i])] += Int64(min(max(Int(rows[i].minutes), 0), Self.maxMinutes) - middle)
            }
        })
        // Sensitivity 2 × 60 at ε/2: scale 240/ε = (240·q)/p.
        let t = UInt64(Self.perClientWeek * middle * 2) * epsilon.denominator, s = epsilon.numerator
        var means = [Double](repeating: 0, count: partitions)
        for p in 0..<partitions {
            let noisySum = Double(sums[p] + sampler.discreteLaplace(t: t, s: s))
            means[p] = min(Double(Self.maxMinutes), max(0, Double(middle) + noisySum / Double(max(noisyCounts[p], 1))))
        }
        return Released(partitions: partitions, noisyCounts: noisyCounts, means: means)
    }

    /// Mean absolute errors against the exact figures (before bounding), as
    /// `bench/baselines/dp_baseline.py` computes them: counts over every partition (raw and as
    /// published, negative set to zero), means over partitions with appointments.
    static func errors(_ released: Released, rows: [AttendedAppointment], partition: [Int32])
        -> (count: Double, countRaw: Double, mean: Double) {
        var counts = [Int](repeating: 0, count: released.partitions)
        var minutes = [Int](repeating: 0, count: released.partitions)
        for i in rows.indices {
            counts[Int(partition[i])] += 1
            minutes[Int(partition[i])] += Int(rows[i].minutes)
        }
        var countError = 0.0, rawError = 0.0, meanError = 0.0, seen = 0
        for p in 0..<released.partitions {
            let noisy = Double(released.noisyCounts[p]), exact = Double(counts[p])
            rawError += abs(noisy - exact)
            countError += abs(max(0, noisy) - exact)
            if counts[p] > 0 {
                meanError += abs(released.means[p] - Double(minutes[p]) / exact)
                seen += 1
            }
        }
        let n = Double(max(1, released.partitions))
        return (countError / n, rawError / n, meanError / Double(max(1, seen)))
    }
}

/// Runs `first` on a new thread and `second` on this one, and returns when both have finished.
/// The two must not touch the same variables (the benchmark's callers write disjoint ones, or
/// disjoint elements through buffer pointers).
func inParallel(_ first: () -> Void, _ second: () -> Void) {
    withoutActuallyEscaping(first) { first in
        let work = UncheckedSendable(value: first)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            work.value()
            finished.signal()
        }
        thread.start()
        second()
        finished.wait()
    }
}

/// A value handed to another thread by ``inParallel(_:_:)``, which waits for that thread
/// before the value's scope ends.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// The result of each part of a parallel read, set by its own thread.
private final class PartResults: @unchecked Sendable {
    // @unchecked: `slots` is only touched under `lock`.
    private var slots: [Result<(rows: [AttendedAppointment], names: [String]), Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ part: Int, _ result: Result<(rows: [AttendedAppointment], names: [String]), Error>) {
        lock.withLock { slots[part] = result }
    }

    func get(_ part: Int) throws -> (rows: [AttendedAppointment], names: [String]) {
        try lock.withLock { slots[part] }!.get()
    }
}

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

/// Each byte's value as a hex digit; other bytes keep their own value (folded in, see
/// ``PseudonymKey``).
private let hexValue: [UInt8] = (0...255).map { byte in
    switch UInt8(byte) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
    default: UInt8(byte)
    }
}

/// A pseudonym (32 hex digits, 128 bits) as two numbers, hashed and compared without a
/// `String`. Only for the benchmark's own store, whose pseudonyms are all well formed: other
/// text is folded into the numbers and two such texts could share a key.
struct PseudonymKey: Hashable {
    let high: UInt64
    let low: UInt64

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var high: UInt64 = 0, low: UInt64 = 0
        for offset in bytes.indices {
            let digit = UInt64(hexValue[Int(bytes[offset])])
            if offset < 16 { high = high &<< 4 | digit } else { low = low &<< 4 &+ digit }
        }
        self.high = high
        self.low = low
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}
