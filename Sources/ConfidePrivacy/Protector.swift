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
        let slots = budgetSlots(exact.tables.flatMap(\.measures))
        let totalWeight = slots.map(weight).reduce(0, +)
        var cells: [ProtectedCell] = []
        var parameters: [MeasureParameters] = []
        for table in exact.tables {
            let bounded = boundedCells(table)
            var published: [CellKey: ProtectedCell] = [:]
            var noisy: [CellKey: NoisyCount] = [:]
            for measure in table.measures {
                for groupType in measure.groups {
                    let slot = BudgetSlot(budgetGroup: measure.budgetGroup, groupType: groupType)
                    let w = weight(slot)
                    let delta = sensitivity(of: measure, in: groupType)
                    // ε_slot = (p/q)·(w/W); scale Δ/ε_slot = (Δ·q·W)/(p·w) = t/s.
                    let eps = settings.epsilonPerRelease
                    let t = UInt64(delta) * eps.denominator * totalWeight
                    let s = eps.numerator * w
                    let slotEpsilon = Epsilon(numerator: eps.numerator * w, denominator: eps.denominator * totalWeight)
                    parameters.append(MeasureParameters(
                        measureID: measure.id + "/" + groupType.rawValue, table: table.name.rawValue,
                        epsilon: settings.mode == .dp ? slotEpsilon.description : "0", sensitivity: delta,
                        scale: settings.mode == .dp ? Double(t) / Double(s) : 0, contributionCap: measure.contributionCap))
                    for (index, key) in table.cells.enumerated() where key.measureID == measure.id && key.groupType == groupType {
                        let (cell, draw) = protectCount(bounded[index], key: key, table: table, name: measure.name, t: t, s: s, sampler: &sampler)
                        published[key] = cell
                        noisy[key] = draw
                    }
                }
            }
            if settings.mode == .sdc {
                secondarySuppression(&published, table: table, bounded: bounded)
            }
            cells += table.cells.compactMap { published[$0] }
            cells += rates(table, published: published, noisy: noisy, bounded: bounded)
        }
        return ProtectedRelease(
            period: exact.period.description, periodStart: exact.period.start.iso, periodEnd: exact.period.end.iso,
            mode: settings.mode, epsilon: chargedEpsilon?.description ?? "0", delta: settings.delta,
            minClients: settings.minClients, definitionVersion: exact.definitionVersion, cells: cells, parameters: parameters)
    }

    /// The relative budget weight of a slot: configured, else the documented default, else 1.
    func weight(_ slot: BudgetSlot) -> UInt64 {
        settings.weights[slot.id] ?? PrivacySettings.defaultWeights[slot.id] ?? 1
    }

    /// Protects one count. In dp mode the noisy value (clamped at zero) is returned too, for
    /// rates: post-processing of a noisy value costs no budget, even when the cell is shown
    /// as suppressed.
    private func protectCount<G>(_ cell: BoundedCell, key: CellKey, table: ExactTable, name: String, t: UInt64, s: UInt64,
                                 sampler: inout ExactSampler<G>) -> (ProtectedCell, NoisyCount?) {
        switch settings.mode {
        case .dp:
            let noisy = max(0, Int64(cell.sum) + sampler.discreteLaplace(t: t, s: s))
            let k = laplaceHalfWidth90(t: t, s: s)
            let draw = NoisyCount(value: Double(noisy), halfWidth: Double(k))
            if noisy < settings.minClients {
                return (makeCell(table, key, name, isRate: false, value: nil, low: nil, high: nil,
                                 reason: "fewer than \(settings.minClients) after noise"), draw)
            }
            return (makeCell(table, key, name, isRate: false, value: Double(noisy),
                             low: max(0, Double(noisy) - Double(k)), high: Double(noisy) + Double(k), reason: nil), draw)
        case .sdc:
            if cell.clients < settings.minClients {
                return (makeCell(table, key, name, isRate: false, value: nil, low: nil, high: nil,
                                 reason: "fewer than \(settings.minClients) clients"), nil)
            }
            let rounded = Double(roundToFive(cell.sum))
            return (makeCell(table, key, name, isRate: false, value: rounded, low: max(0, rounded - 2), high: rounded + 2, reason: nil), nil)
        }
    }

    private func makeCell(_ table: ExactTable, _ key: CellKey, _ name: String, isRate: Bool, value: Double?, low: Double?,
                          high: Double?, reason: String?) -> ProtectedCell {
        ProtectedCell(table: table.name.rawValue, groupType: key.groupType.rawValue, group: key.group, measureID: key.measureID,
                      measureName: name, isRate: isRate, value: value, intervalLow: low, intervalHigh: high,
                      status: value == nil ? .suppressed : .published, reason: reason)
    }

    /// Rates from the protected counts (post-processing). In dp mode the rate is computed from
    /// the noisy counts and shown unless its noisy denominator is below `min_clients`. In sdc
    /// mode it is computed from the bounded exact counts, shown only when numerator and
    /// denominator both rest on at least `min_clients` clients and every count it uses is
    /// published, to one decimal.
    private func rates(_ table: ExactTable, published: [CellKey: ProtectedCell], noisy: [CellKey: NoisyCount],
                       bounded: [BoundedCell]) -> [ProtectedCell] {
        var result: [ProtectedCell] = []
        let index = Dictionary(uniqueKeysWithValues: table.cells.enumerated().map { ($1, $0) })
        for rate in table.rates {
            for numeratorKey in table.cells where numeratorKey.measureID == rate.numerator {
                let keys = ([rate.numerator] + rate.denominator).map {
                    CellKey(groupType: numeratorKey.groupType, group: numeratorKey.group, measureID: $0)
                }
                var value: Double?, low: Double?, high: Double?
                var reason: String
                switch settings.mode {
                case .dp:
                    reason = "denominator below \(settings.minClients) after noise"
                    let parts = keys.map { noisy[$0] ?? NoisyCount(value: 0, halfWidth: 0) }
                    let n = parts[0].value, nHalf = parts[0].halfWidth
                    let d = parts.dropFirst().map(\.value).reduce(0, +), dHalf = parts.dropFirst().map(\.halfWidth).reduce(0, +)
                    if d >= Double(settings.minClients) {
                        value = roundTo1(min(100, 100 * n / d))
                        low = roundTo1(max(0, 100 * max(0, n - nHalf) / (d + dHalf)))
                        high = roundTo1(min(100, 100 * (n + nHalf) / max(1, d - dHalf)))
                    }
                case .sdc:
                    reason = "numerator or denominator below \(settings.minClients) clients"
                    let sums = keys.map { index[$0].map { bounded[$0] } ?? BoundedCell() }
                    let n = sums[0].sum, d = sums.dropFirst().map(\.sum).reduce(0, +)
                    let clients = sums.dropFirst().map(\.clients).reduce(0, +)
                    if sums[0].clients >= settings.minClients, clients >= settings.minClients, d > 0,
                       keys.allSatisfy({ published[$0]?.status == .published }) {
                        value = roundTo1(100 * Double(n) / Double(d))
                        low = value; high = value
                    }
                }
                result.append(ProtectedCell(table: table.name.rawValue, groupType: numeratorKey.groupType.rawValue,
                                            group: numeratorKey.group, measureID: rate.id, measureName: rate.name, isRate: true,
                                            value: value, intervalLow: low, intervalHigh: high,
                                            status: value == nil ? .suppressed : .published, reason: value == nil ? reason : nil))
            }
        }
        return result
    }

    /// Secondary suppression over each measure's margin (the practice cell = the sum of its
    /// therapist cells): when a margin group has exactly one suppressed cell, the published
    /// cell with the smallest true count is suppressed too (least information lost), so no
    /// suppressed cell is the difference of published ones.
    private func secondarySuppression(_ cells: inout [CellKey: ProtectedCell], table: ExactTable, bounded: [BoundedCell]) {
        let index = Dictionary(uniqueKeysWithValues: table.cells.enumerated().map { ($1, $0) })
        func size(_ key: CellKey) -> Int { index[key].map { bounded[$0].sum } ?? 0 }
        for measure in table.measures where measure.groups.contains(.therapist) {
            let keys = table.cells.filter { $0.measureID == measure.id }
            while true {
                let suppressed = keys.filter { cells[$0]?.status == .suppressed }
                guard suppressed.count == 1 else { break }
                let candidates = keys.filter { cells[$0]?.status == .published }
                guard let smallest = candidates.min(by: { (size($0), $0.group) < (size($1), $1.group) }) else { break }
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

/// A noisy count kept for post-processing, with its 90% half-width.
struct NoisyCount {
    let value: Double
    let halfWidth: Double
}

func roundToFive(_ x: Int) -> Int { ((x + 2) / 5) * 5 }
func roundTo1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
