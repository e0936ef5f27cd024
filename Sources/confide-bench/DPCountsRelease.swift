import ConfideBench
import ConfideMetrics
import Foundation
import ConfideModel
import ConfidePrivacy
import ConfideRelease
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
        let protector = Protector(settings: PrivacySettings(mode: .dp, epsilonPerWeek: half))
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
