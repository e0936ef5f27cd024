import ArgumentParser
import ConfideAnonymity
import Foundation

/// `confide anonymize`.
struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Generalise and suppress quasi-identifiers until every class has k records (and l sensitive values).",
        discussion: """
            Finds the optimal full-domain generalisation (ARX's lattice, ARX's metrics) and writes it with the input's \
            header and separator; suppressed records have '*' in every quasi-identifier. The algorithm, the metrics and \
            how the results match ARX are in docs/anonymize.md; exit codes in docs/operations.md.
            """)

    @Argument(help: ArgumentHelp("The input CSV (';' or ',' separated, with a header).", valueName: "input.csv"))
    var input: String

    @Option(name: .customLong("qi"), help: ArgumentHelp("A quasi-identifier and its ARX-format hierarchy (value;level1;…;*). Repeat for each.",
                                                         valueName: "column=hierarchy.csv"))
    var quasiIdentifiers: [String] = []

    @Option(help: ArgumentHelp("The sensitive column that --l makes diverse.", valueName: "column"))
    var sensitive: String?

    @Option(name: .customLong("k"), help: "Every class of the output has at least k records.")
    var k: Int

    @Option(name: .customLong("l"), help: "Every class has at least l distinct sensitive values (or entropy ≥ ln l); needs --sensitive.")
    var l: Int?

    @Option(name: .customLong("l-kind"), help: "distinct or entropy (Shannon) l-diversity.")
    var lKind: DiversityChoice = .distinct

    @Option(name: .customLong("max-suppression"), help: ArgumentHelp("The largest share of records that may be suppressed, 0 to 1.", valueName: "fraction"))
    var maxSuppression: Double = 0

    @Option(help: "The utility metric to minimise: loss (ARX's default), entropy (non-uniform entropy) or dm (discernability).")
    var metric: MetricChoice = .loss

    @Option(help: ArgumentHelp("The output CSV, written atomically.", valueName: "out.csv"))
    var out: String

    @Flag(help: "Print one JSON object: levels, suppressed, classes, min_class, loss (the metric's value), metric, risk {before, after}.")
    var json = false

    func validate() throws {
        _ = try QuasiIdentifierSpec.parse(quasiIdentifiers)
        if k < 1 { throw ValidationError("--k must be at least 1") }
        if let l {
            if l < 1 { throw ValidationError("--l must be at least 1") }
            if sensitive == nil { throw ValidationError("--l needs --sensitive COLUMN") }
        }
        if !(0...1).contains(maxSuppression) { throw ValidationError("--max-suppression must be a fraction from 0 to 1") }
        if let sensitive, quasiIdentifiers.contains(where: { (try? QuasiIdentifierSpec($0))?.column == sensitive }) {
            throw ValidationError("column '\(sensitive)' cannot be both --sensitive and a --qi")
        }
    }

    func run() throws {
        let specs = try QuasiIdentifierSpec.parse(quasiIdentifiers)
        let diversity = l.map { Diversity(column: sensitive!, l: $0, kind: lKind.kind) }
        let (problem, applied, solution) = try reportingAnonymityErrors { () throws(AnonymityError) in
            let table = try InputTable(path: input, encode: specs.map(\.column) + (diversity.map { [$0.column] } ?? []))
            let hierarchies = try QuasiIdentifierSpec.hierarchies(specs, inputPath: input)
            let problem = try AnonymizationProblem(table: table, hierarchies: hierarchies,
                                                   model: PrivacyModel(k: k, diversity: diversity, maxSuppression: maxSuppression),
                                                   metric: metric.metric)
            try GeneralisedOutput.checkCreatable(out)
            switch LatticeSearch.run(problem) {
            case .none(let none):
                throw AnonymityError(.dataError, noSolutionMessage(none, problem: problem))
            case .found(let solution):
                let applied = AppliedTransformation(problem: problem, levels: solution.levels)
                try GeneralisedOutput.write(GeneralisedOutput.render(applied), to: out)
                return (problem, applied, solution)
            }
        }
        let before = try reportingAnonymityErrors { () throws(AnonymityError) in
            try ReidentificationRisk(table: problem.table, columns: problem.quasiIdentifiers.map(\.name))
        }
        report(problem: problem, applied: applied, solution: solution, before: before)
    }

    private func noSolutionMessage(_ none: NoSolution, problem: AnonymizationProblem) -> String {
        let limit = problem.model.suppressionAllowance(records: problem.recordCount)
        let model = "k = \(k)" + (l.map { ", \(lKind.rawValue) l = \($0)" } ?? "")
        var message = "\(input): no generalisation meets \(model) with at most \(limit) of \(problem.recordCount) records suppressed "
            + "(--max-suppression \(maxSuppression)); nothing was written. "
            + "At this k, every transformation suppresses at least \(none.smallestSuppressedRecords) records: "
            + "--max-suppression \(String(format: "%.4f", none.smallestSuppression)) would work"
        if let largest = none.largestK {
            message += "; at this suppression limit, the largest k that works is \(largest)"
        } else {
            message += "; at this suppression limit no k works (the l-diversity requirement fails)"
        }
        return message + "."
    }

    private func report(problem: AnonymizationProblem, applied: AppliedTransformation, solution: Solution, before: ReidentificationRisk) {
        let after = applied.riskAfter
        let names = problem.quasiIdentifiers.map(\.name)
        if json {
            var risk = after.json
            risk["before"] = before.json
            risk["after"] = after.json
            print(jsonText([
                "levels": Dictionary(uniqueKeysWithValues: zip(names, solution.levels)),
                "transformation": solution.levels,
                "suppressed": applied.statistics.suppressed,
                "classes": applied.statistics.classes,
                "min_class": applied.statistics.smallestClass,
                "records": problem.recordCount,
                "loss": applied.metricValue,
                "metric": metric.rawValue,
                "metric_value": applied.metricValue,
                "transformations": problem.transformationCount,
                "evaluated": solution.evaluated,
                "risk": risk,
            ] as [String: Any]))
            return
        }
        print("anonymized \(input) -> \(out): \(problem.recordCount) records, k = \(k)"
              + (l.map { ", \(lKind.rawValue) l = \($0) on \(sensitive!)" } ?? "")
              + ", max suppression \(maxSuppression)")
        print("levels: " + zip(names, solution.levels).map { "\($0) \($1)" }.joined(separator: ", "))
        print("suppressed: \(applied.statistics.suppressed) records; classes: \(applied.statistics.classes) (smallest \(applied.statistics.smallestClass))")
        print("\(metric.rawValue): \(applied.metricValue) (\(solution.evaluated) of \(problem.transformationCount) transformations evaluated)")
        print("risk before: \(before.summary)")
        print("risk after:  \(after.summary)")
    }
}
