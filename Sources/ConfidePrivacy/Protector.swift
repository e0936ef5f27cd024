public import ConfideMetrics
import ConfideModel
@_spi(Protection) public import ConfideRelease
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

    /// What a release of `exact` charges one client (``ReleaseCharge/none`` in sdc mode): its
    /// state slots share ``PrivacySettings/epsilonPerWeek``; each event slot's ε counts towards
    /// every kind of event it holds.
    public func charge(_ exact: ExactRelease) -> ReleaseCharge {
        settings.mode == .dp ? budget(exact).charge : .none
    }

    /// The split of `exact`'s budget over the slots it draws.
    private func budget(_ exact: ExactRelease) -> Budget {
        Budget(slots: exact.tables.flatMap(dpSlots), histograms: exact.tables.flatMap(\.histograms),
               supervision: exact.supervision != nil, protector: self)
    }

    /// Protects every table of `exact`.
    ///
    /// In dp mode every histogram cell gets one exact discrete Laplace draw from `sampler`;
    /// measures are sums and ratios of noisy cells (post-processing), and a window longer than
    /// a week sums this release's cells with those stored in `history` (earlier releases,
    /// any order), never drawing over overlapping data. In sdc mode the exact table already
    /// covers its window; cells of fewer than `min_clients` clients are suppressed, counts
    /// rounded to 5, and margins protected by secondary suppression.
    public func protect<G>(_ exact: ExactRelease, history: [ProtectedRelease] = [], sampler: inout ExactSampler<G>) -> ProtectedRelease {
        var cells: [ProtectedCell] = []
        var parameters: [MeasureParameters] = []
        var noisyCells: [NoisyCell] = []
        var weeksCovered: [String: Int] = [:]
        let budget = budget(exact)
        for table in exact.tables {
            let evaluator: MeasureEvaluator
            switch settings.mode {
            case .dp:
                var noisy: [ClassCell: NoisyCell] = [:]
                let bounded = bound(table)
                var scales: [BudgetSlot: (UInt64, UInt64)] = [:]
                for slot in dpSlots(table) {
                    let histogram = table.histograms.first { $0.id == slot.histogram }!
                    let (t, s) = budget.scale(of: slot, histogram: histogram)
                    scales[slot] = (t, s)
                    parameters.append(MeasureParameters(
                        measureID: slot.id, table: table.name, exactEpsilon: budget.epsilon(of: slot, histogram: histogram),
                        sensitivity: histogram.cap, scale: Double(t) / Double(s), contributionCap: histogram.cap))
                }
                for (index, key) in table.cells.enumerated() {
                    guard let (t, s) = scales[BudgetSlot(histogram: key.histogram, groupType: key.groupType)] else { continue }
                    let value = Int64(bounded.cells[index].sum) + sampler.discreteLaplace(t: t, s: s)
                    let cell = NoisyCell(histogram: key.histogram, cls: key.cls, groupType: key.groupType, group: key.group, value: value, t: t, s: s)
                    noisy[key] = cell
                    noisyCells.append(cell)
                }
                let window = table.histograms.map(\.windowWeeks).max() ?? 1
                // Earlier releases of the same series (weekly, or supervision periods), newest first.
                let earlier = history.filter { $0.periodEnd < exact.period.start.iso && $0.isSupervision == (exact.supervision != nil) }
                    .sorted { $0.periodEnd > $1.periodEnd }
                let summed = MeasureEvaluator.weeksSummed(window: window, earlierReleases: earlier.count)
                // A supervision release's window counts periods; the weeks they cover are stated.
                weeksCovered[table.name.rawValue] = exact.supervision == nil ? summed
                    : ([exact.supervision!.weekCount] + earlier.prefix(summed - 1).map(\.weekCount)).reduce(0, +)
                evaluator = MeasureEvaluator.noisy(ConsistentWindow(current: noisy, earlier: earlier.map(\.noisyIndex), histograms: table.histograms))
            case .sdc:
                weeksCovered[table.name.rawValue] = table.weeksCovered
                evaluator = MeasureEvaluator.exact(table: table, bounded: bound(table, keepClients: true))
            }
            cells += publish(table, evaluator: evaluator)
        }
        let charge = settings.mode == .dp ? budget.charge : .none
        return ProtectedRelease(
            period: exact.label, periodStart: (exact.supervision?.first ?? exact.period).start.iso, periodEnd: exact.period.end.iso,
            mode: settings.mode, epsilon: charge.perRelease?.description ?? "0", charge: charge, delta: settings.delta,
            minClients: settings.minClients, definitionVersion: exact.definitionVersion, cells: cells, parameters: parameters,
            noisyCells: noisyCells, weeksCovered: weeksCovered)
    }

    /// The slots of `table` a dp release draws and charges: those some measure published by the
    /// slot's breakdown reads (``Measure/dpParts(for:)``). A practice count read from a noisy
    /// total leaves its own practice cells unread, so they are neither drawn nor charged.
    func dpSlots(_ table: ExactTable) -> [BudgetSlot] {
        budgetSlots(table).filter { slot in table.measures.contains { $0.readsInDP(slot.histogram, by: slot.groupType) } }
    }

    /// The relative budget weight of a slot: configured, else the documented default, else 1.
    func weight(_ slot: BudgetSlot) -> UInt64 {
        settings.weights[slot.id] ?? PrivacySettings.defaultWeights[slot.id] ?? 1
    }

    /// Every measure of `table` for every group of the breakdowns it can be published by. In sdc
    /// mode the table and its margins then get secondary suppression (``SecondarySuppression``).
    private func publish(_ table: ExactTable, evaluator: MeasureEvaluator) -> [ProtectedCell] {
        var groups: [(GroupType, String)] = []
        var seen = Set<String>()
        // The no-contact group of a breakdown by contact is drawn (consistency) but never published.
        for cell in table.cells where cell.group != Group.noContactName && seen.insert(cell.groupType.rawValue + "\u{0}" + cell.group).inserted {
            groups.append((cell.groupType, cell.group))
        }
        var result: [ProtectedCell] = []
        var figures: [FigureKey] = []
        var halfWidths: [NoiseSum: Double] = [:]
        for measure in table.measures {
            // A measure exists for a breakdown only when every histogram it reads has cells
            // there (referrals just received have no therapist; the median is practice-wide).
            let breakdowns = Set(groups.map(\.0)).filter(measure.isPublished(by:))
            for (groupType, group) in groups where breakdowns.contains(groupType) {
                let figure = evaluator.evaluate(measure, groupType: groupType, group: group, settings: settings, halfWidths: &halfWidths)
                result.append(ProtectedCell(
                    table: table.name, groupType: groupType, group: group, measureID: measure.id, measureName: measure.name,
                    isRate: measure.isRate, value: figure.value, intervalLow: figure.low, intervalHigh: figure.high,
                    status: figure.value == nil ? .suppressed : .published, reason: figure.value == nil ? figure.reason : nil))
                figures.append(FigureKey(measure: measure, groupType: groupType, group: group))
            }
        }
        if settings.mode == .sdc {
            SecondarySuppression(table: table, evaluator: evaluator, minClients: settings.minClients(groupType:group:)).apply(to: &result, figures: figures)
        }
        return result
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

extension ProtectedRelease {
    /// The noisy cells by key, for summing windows.
    var noisyIndex: [ClassCell: NoisyCell] {
        var index: [ClassCell: NoisyCell] = [:]
        for cell in noisyCells {
            index[ClassCell(histogram: cell.histogram, cls: cell.cls, groupType: cell.groupType, group: cell.group)] = cell
        }
        return index
    }
}

func roundToFive(_ x: Int) -> Int { ((x + 2) / 5) * 5 }
func roundTo1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
