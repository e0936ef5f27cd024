import ArgumentParser
import ConfideAnonymity
import Foundation

/// `confide risk`.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Re-identification risk of a CSV's quasi-identifiers (ARX's prosecutor, journalist and marketer risks).",
        discussion: """
            Without --k, the file as it is. With --k (and a hierarchy for every --qi), also the risk after \
            'confide anonymize' with the same options, without writing anything. Definitions in docs/anonymize.md.
            """)

    @Argument(help: ArgumentHelp("The input CSV (';' or ',' separated, with a header).", valueName: "input.csv"))
    var input: String

    @Option(name: .customLong("qi"), help: ArgumentHelp("A quasi-identifier column (a hierarchy after '=' is used only with --k). Repeat for each.",
                                                         valueName: "column[=hierarchy.csv]"))
    var quasiIdentifiers: [String] = []

    @Option(name: .customLong("k"), help: "Also show the risk after anonymising with this k (needs a hierarchy for every --qi).")
    var k: Int?

    @Option(name: .customLong("max-suppression"), help: ArgumentHelp("With --k: the largest share of records that may be suppressed.", valueName: "fraction"))
    var maxSuppression: Double = 0

    @Option(help: "With --k: the metric to minimise (loss, entropy or dm).")
    var metric: MetricChoice = .loss

    @Flag(help: "Print one JSON object: prosecutor_max, prosecutor_avg, journalist_max, marketer, sample_uniques, records_at_max, before (and after with --k).")
    var json = false

    func validate() throws {
        let specs = try QuasiIdentifierSpec.parse(quasiIdentifiers)
        if let k {
            if k < 1 { throw ValidationError("--k must be at least 1") }
            if let bare = specs.first(where: { $0.hierarchyPath == nil }) {
                throw ValidationError("--k needs a hierarchy for every --qi: give --qi \(bare.column)=HIERARCHY.csv")
            }
        }
        if !(0...1).contains(maxSuppression) { throw ValidationError("--max-suppression must be a fraction from 0 to 1") }
    }

    func run() throws {
        let specs = try QuasiIdentifierSpec.parse(quasiIdentifiers)
        let (before, after) = try reportingAnonymityErrors { () throws(AnonymityError) in
            let table = try InputTable(path: input, encode: specs.map(\.column))
            let before = try ReidentificationRisk(table: table, columns: specs.map(\.column))
            guard let k else { return (before, nil as (levels: [(String, Int)], risk: ReidentificationRisk)?) }
            let problem = try AnonymizationProblem(table: table, hierarchies: QuasiIdentifierSpec.hierarchies(specs, inputPath: input),
                                                   model: PrivacyModel(k: k, maxSuppression: maxSuppression), metric: metric.metric)
            guard case .found(let solution) = LatticeSearch.run(problem) else {
                throw AnonymityError(.dataError, "\(input): no generalisation meets k = \(k) within --max-suppression \(maxSuppression) "
                    + "('confide anonymize' says what would)")
            }
            let applied = AppliedTransformation(problem: problem, levels: solution.levels)
            return (before, (Array(zip(problem.quasiIdentifiers.map(\.name), solution.levels)), applied.riskAfter))
        }
        if json {
            var object = before.json
            object["before"] = before.json
            if let after {
                object["after"] = after.risk.json
                object["levels"] = Dictionary(uniqueKeysWithValues: after.levels)
            }
            print(jsonText(object))
            return
        }
        print("\(input): \(before.records) records, \(before.classes) classes over \(specs.map(\.column).joined(separator: ", "))")
        print("prosecutor risk: max \(before.prosecutorMax) (\(before.recordsAtMax) records), average \(before.prosecutorAverage)")
        print("journalist risk: max \(before.journalistMax) (no population table: the sample's classes)")
        print("marketer risk: \(before.marketer)")
        print("sample uniques: \(before.sampleUniques)")
        if let after {
            print("after k = \(k!) (" + after.levels.map { "\($0) \($1)" }.joined(separator: ", ") + "): \(after.risk.summary)")
        }
    }
}
