public import ConfideMetrics
import ConfideModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an exact release into a protected one. Pure: no I/O; randomness only from the
/// injected sampler.
public struct Protector: Sendable {
    /// The settings in force.
    public let settings: PrivacySettings

    /// Creates a protector.
    public init(settings: PrivacySettings) { self.settings = settings }

    /// The ε a release charges (0 in sdc mode).
    public var chargedEpsilon: Epsilon? { settings.mode == .dp ? settings.epsilonPerRelease : nil }

    /// Protects every table of `exact`, drawing noise (dp) from `sampler`.
    public func protect<G>(_ exact: ExactRelease, sampler: inout ExactSampler<G>) -> ProtectedRelease {
        let measures = exact.tables.flatMap(\.measures)
        let totalWeight = measures.map { settings.weights[$0.id] ?? 1 }.reduce(0, +)
        var cells: [ProtectedCell] = []
        var parameters: [MeasureParameters] = []
        for table in exact.tables {
            let bounded = boundedCells(table)
            var published: [CellKey: ProtectedCell] = [:]
            var sdcSupport: [CellKey: Int] = [:]
            for measure in table.measures {
                let weight = settings.weights[measure.id] ?? 1
                let delta = sensitivity(of: measure)
                // ε_m = (p/q)·(w/W); scale Δ/ε_m = (Δ·q·W)/(p·w) = t/s.
                let eps = settings.epsilonPerRelease
                let t = UInt64(delta) * eps.denominator * totalWeight
                let s = eps.numerator * weight
                let shareEpsilon = Epsilon(numerator: eps.numerator * weight, denominator: eps.denominator * totalWeight)
                parameters.append(MeasureParameters(
                    measureID: measure.id, table: table.name.rawValue,
                    epsilon: settings.mode == .dp ? shareEpsilon.description : "0", sensitivity: delta,
                    scale: settings.mode == .dp ? Double(t) / Double(s) : 0, contributionCap: measure.contributionCap))
                for (index, key) in table.cells.enumerated() where key.measureID == measure.id {
                    let cell = bounded[index]
                    let protected: ProtectedCell
                    switch settings.mode {
                    case .dp:
                        let noisy = max(0, Int64(cell.sum) + sampler.discreteLaplace(t: t, s: s))
                        let k = Double(laplaceHalfWidth90(t: t, s: s))
                        if noisy < settings.minClients {
                            protected = makeCell(table, key, measure.name, isRate: false, value: nil, low: nil, high: nil,
                                                 reason: "fewer than \(settings.minClients) after noise")
                        } else {
                            protected = makeCell(table, key, measure.name, isRate: false, value: Double(noisy),
                                                 low: max(0, Double(noisy) - k), high: Double(noisy) + k, reason: nil)
                        }
                    case .sdc:
                        sdcSupport[key] = cell.clients
                        if cell.clients < settings.minClients {
                            protected = makeCell(table, key, measure.name, isRate: false, value: nil, low: nil, high: nil,
                                                 reason: "fewer than \(settings.minClients) clients")
                        } else {
                            let rounded = Double(roundToFive(cell.sum))
                            protected = makeCell(table, key, measure.name, isRate: false, value: rounded,
                                                 low: max(0, rounded - 2), high: rounded + 2, reason: nil)
                        }
                    }
                    published[key] = protected
                }
            }
            if settings.mode == .sdc {
                secondarySuppression(&published, table: table)
            }
            cells += table.cells.compactMap { published[$0] }
            cells += rates(table, published: published, bounded: bounded)
        }
        return ProtectedRelease(
            period: exact.period.description, periodStart: exact.period.start.iso, periodEnd: exact.period.end.iso,
            mode: settings.mode, epsilon: chargedEpsilon?.description ?? "0", delta: settings.delta,
            minClients: settings.minClients, definitionVersion: exact.definitionVersion, cells: cells, parameters: parameters)
    }

    private func makeCell(_ table: ExactTable, _ key: CellKey, _ name: String, isRate: Bool, value: Double?, low: Double?,
                          high: Double?, reason: String?) -> ProtectedCell {
        ProtectedCell(table: table.name.rawValue, groupType: key.groupType.rawValue, group: key.group, measureID: key.measureID,
                      measureName: name, isRate: isRate, value: value, intervalLow: low, intervalHigh: high,
                      status: value == nil ? .suppressed : .published, reason: reason)
    }

    /// Rates from the protected counts (post-processing). In sdc mode the rate is computed from
    /// the bounded exact counts, shown only when numerator and denominator both rest on at
    /// least `min_clients`, to one decimal.
    private func rates(_ table: ExactTable, published: [CellKey: ProtectedCell], bounded: [BoundedCell]) -> [ProtectedCell] {
        var result: [ProtectedCell] = []
        let index = Dictionary(uniqueKeysWithValues: table.cells.enumerated().map { ($1, $0) })
        for rate in table.rates {
            let groups = table.cells.filter { $0.measureID == rate.numerator }
            for numeratorKey in groups {
                let rateKey = CellKey(groupType: numeratorKey.groupType, group: numeratorKey.group, measureID: rate.id)
                let parts = [rate.numerator] + rate.denominator
                let keys = parts.map { CellKey(groupType: numeratorKey.groupType, group: numeratorKey.group, measureID: $0) }
                let cells = keys.map { published[$0] }
                var value: Double?, low: Double?, high: Double?
                var reason = "denominator below \(settings.minClients)"
                switch settings.mode {
                case .dp:
                    let n = cells[0]?.value ?? 0
                    let d = rate.denominator.indices.compactMap { cells[$0 + 1]?.value }.reduce(0, +)
                    let nHalf = (cells[0]?.intervalHigh ?? n) - n
                    let dHalf = rate.denominator.indices.compactMap { i in cells[i + 1].map { ($0.intervalHigh ?? 0) - ($0.value ?? 0) } }.reduce(0, +)
                    if d >= Double(settings.minClients), cells.allSatisfy({ $0?.status == .published || $0 == nil }) {
                        value = roundTo1(min(100, 100 * n / d))
                        low = roundTo1(max(0, 100 * (n - nHalf) / (d + dHalf)))
                        high = roundTo1(min(100, 100 * (n + nHalf) / max(1, d - dHalf)))
                    }
                case .sdc:
                    let sums = keys.map { index[$0].map { bounded[$0] } ?? BoundedCell() }
                    let n = sums[0].sum, d = sums.dropFirst().map(\.sum).reduce(0, +)
                    let clients = sums.dropFirst().map(\.clients).reduce(0, +)
                    if sums[0].clients >= settings.minClients, clients >= settings.minClients, d > 0,
                       cells.allSatisfy({ $0?.status == .published }) {
                        value = roundTo1(100 * Double(n) / Double(d))
                        low = value; high = value
                    } else {
                        reason = "numerator or denominator below \(settings.minClients) clients"
                    }
                }
                let name = rate.name
                result.append(ProtectedCell(table: table.name.rawValue, groupType: rateKey.groupType.rawValue, group: rateKey.group,
                                            measureID: rate.id, measureName: name, isRate: true, value: value, intervalLow: low,
                                            intervalHigh: high, status: value == nil ? .suppressed : .published,
                                            reason: value == nil ? reason : nil))
            }
        }
        return result
    }

    /// Secondary suppression over each measure's margin (the practice cell = the sum of its
    /// therapist cells): when a margin group has exactly one suppressed cell, the smallest
    /// published cell of the group is suppressed too, so no suppressed cell is the difference
    /// of published ones.
    private func secondarySuppression(_ cells: inout [CellKey: ProtectedCell], table: ExactTable) {
        for measure in table.measures where measure.groups.contains(.therapist) {
            let keys = table.cells.filter { $0.measureID == measure.id }
            while true {
                let suppressed = keys.filter { cells[$0]?.status == .suppressed }
                guard suppressed.count == 1 else { break }
                let candidates = keys.filter { cells[$0]?.status == .published }
                guard let smallest = candidates.min(by: { (cells[$0]?.value ?? 0, $0.group) < (cells[$1]?.value ?? 0, $1.group) }) else { break }
                let old = cells[smallest]!
                cells[smallest] = makeCell(table, smallest, old.measureName, isRate: false, value: nil, low: nil, high: nil,
                                           reason: "suppressed to protect another cell")
            }
        }
    }
}

/// The smallest k with P(|Z| ≤ k) ≥ 90% for discrete Laplace of scale t/s:
/// P(|Z| > k) = 2a^(k+1)/(1+a), a = exp(-s/t). Depends on public parameters only.
public func laplaceHalfWidth90(t: UInt64, s: UInt64) -> Int {
    let a = exp(-Double(s) / Double(t))
    var k = 0
    var tail = 2 * a / (1 + a)
    while tail > 0.1 { k += 1; tail *= a }
    return k
}

func roundToFive(_ x: Int) -> Int { ((x + 2) / 5) * 5 }
func roundTo1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
