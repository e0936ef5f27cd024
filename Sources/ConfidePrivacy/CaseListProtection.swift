public import ConfideMetrics
public import ConfideModel
@_spi(Protection) public import ConfideRelease
import ConfideAnonymity
import Foundation

/// How case lists are protected: `[supervision] case_list_k`, `case_list_l`,
/// `case_list_max_suppression` and whether clients under 18 may appear.
public struct CaseListSettings: Sendable, Equatable {
    /// Every published combination of quasi-identifiers is shared by at least this many cases.
    public var k = 5
    /// ...with at least this many distinct outcome classes (distinct l-diversity).
    public var l = 2
    /// The largest share of a list's cases whose quasi-identifiers may be suppressed.
    public var maxSuppression = 0.2
    /// Whether cases of clients under 18 at referral may appear (off unless the practice opts in).
    public var includeUnder18 = false

    /// The defaults.
    public init() {}
}

/// Turns one therapist's exact cases of a supervision period into a ``ProtectedCaseList``:
/// under-18s left out unless allowed, then the optimal full-domain generalisation of the
/// quasi-identifiers (``CaseListHierarchies``) under k-anonymity and distinct l-diversity of
/// the outcome class, with record suppression up to the limit (`ConfideAnonymity`, ARX's loss
/// metric). The clinical columns are written as they are; the case code is the caller's keyed
/// pseudonym of the referral (never the referral's id).
public struct CaseListProtection: Sendable {
    /// The settings.
    public let settings: CaseListSettings

    /// Protection with `settings`.
    public init(settings: CaseListSettings) { self.settings = settings }

    /// The protected list of `therapist`'s `cases` in `period`, each case coded by `code`.
    public func protect(_ cases: [ExactCase], therapist: String, period: SupervisionPeriod,
                        code: (ExactCase) -> String) -> ProtectedCaseList {
        let kept = cases.filter { settings.includeUnder18 || ($0.age ?? 18) >= 18 }
        let excluded = cases.count - kept.count
        let values = kept.map(CaseListHierarchies.values(of:))
        let before = Self.risk(ReidentificationRisk(classSizes: Self.classSizes(values)))
        func withheld(_ reason: String) -> ProtectedCaseList {
            ProtectedCaseList(therapist: therapist, period: period.description, header: ProtectedCaseList.contractHeader, rows: [], k: settings.k, l: settings.l,
                              cases: cases.count, excluded: excluded, suppressed: 0, classes: 0, smallestClass: 0, levels: [:],
                              riskBefore: before, riskAfter: Self.risk(ReidentificationRisk(classSizes: [])), withheld: reason)
        }
        guard kept.count >= settings.k else {
            return withheld("fewer than \(settings.k) cases (k): no list this period")
        }
        let outcomes = kept.map(\.change.rawValue)
        guard Set(outcomes).count >= settings.l else {
            return withheld("fewer than \(settings.l) distinct outcome classes (l): no list this period")
        }
        let applied: AppliedTransformation
        do {
            let problem = try Self.problem(values: values, outcomes: outcomes, settings: settings)
            guard case .found(let solution) = LatticeSearch.run(problem) else {
                return withheld("no generalisation meets k = \(settings.k) and l = \(settings.l) within the suppression limit")
            }
            applied = AppliedTransformation(problem: problem, levels: solution.levels)
        } catch {
            return withheld("the case list could not be anonymised (\(error.message))")
        }
        var rows: [[String]] = []
        for (index, item) in kept.enumerated() {
            let generalised = ProtectedCaseList.quasiIdentifiers.indices.map { column in
                applied.suppressed[index] ? "*" : CaseListHierarchies.row(ProtectedCaseList.quasiIdentifiers[column], values[index][column])[applied.levels[column]]
            }
            rows.append([code(item)] + generalised + Self.clinical(item))
        }
        let order = rows.indices.sorted { rows[$0][0] < rows[$1][0] }  // by code: the list's order says nothing of the referral dates
        return ProtectedCaseList(
            therapist: therapist, period: period.description, header: ProtectedCaseList.contractHeader, rows: order.map { rows[$0] }, k: settings.k, l: settings.l,
            cases: cases.count, excluded: excluded, suppressed: applied.statistics.suppressed, classes: applied.statistics.classes,
            smallestClass: applied.statistics.smallestClass,
            levels: Dictionary(uniqueKeysWithValues: zip(ProtectedCaseList.quasiIdentifiers, applied.levels)),
            riskBefore: before, riskAfter: Self.risk(applied.riskAfter), withheld: nil)
    }

    /// The clinical columns a supervisor reads, as written.
    static func clinical(_ item: ExactCase) -> [String] {
        func score(_ value: Int?) -> String { value.map(String.init) ?? "" }
        return [String(item.weeksWaited), String(item.sessionsAttended), String(item.dnas), score(item.phq9First), score(item.phq9Latest),
                score(item.gad7First), score(item.gad7Latest), item.change.rawValue, item.notOnTrack ? "yes" : "no"]
    }

    /// The anonymisation problem: the quasi-identifiers and the outcome class as `;`-separated
    /// text in memory, with the hierarchies of the values present.
    static func problem(values: [[String]], outcomes: [String], settings: CaseListSettings) throws(AnonymityError) -> AnonymizationProblem {
        var text = (ProtectedCaseList.quasiIdentifiers + ["outcome"]).joined(separator: ";") + "\n"
        for (row, outcome) in zip(values, outcomes) { text += (row + [outcome]).joined(separator: ";") + "\n" }
        let table = try InputTable(text: DelimitedText(path: "case list", bytes: Array(text.utf8)), encode: ProtectedCaseList.quasiIdentifiers + ["outcome"])
        var hierarchies: [String: Hierarchy] = [:]
        for (column, name) in ProtectedCaseList.quasiIdentifiers.enumerated() {
            let rows = Set(values.map { $0[column] }).sorted().map { CaseListHierarchies.row(name, $0).joined(separator: ";") }
            hierarchies[name] = try Hierarchy(text: DelimitedText(path: "hierarchy of \(name)", bytes: Array((rows.joined(separator: "\n") + "\n").utf8)),
                                              column: name)
        }
        let model = PrivacyModel(k: settings.k, diversity: Diversity(column: "outcome", l: settings.l, kind: .distinct),
                                 maxSuppression: settings.maxSuppression)
        return try AnonymizationProblem(table: table, hierarchies: hierarchies, model: model, metric: .loss)
    }

    /// The sizes of the classes of identical rows.
    static func classSizes(_ values: [[String]]) -> [Int] {
        var sizes: [[String]: Int] = [:]
        for row in values { sizes[row, default: 0] += 1 }
        return Array(sizes.values)
    }

    static func risk(_ risk: ReidentificationRisk) -> CaseListRisk {
        CaseListRisk(prosecutorMax: risk.prosecutorMax, prosecutorAverage: risk.prosecutorAverage, journalistMax: risk.journalistMax,
                     marketer: risk.marketer, sampleUniques: risk.sampleUniques, recordsAtMax: risk.recordsAtMax)
    }
}
