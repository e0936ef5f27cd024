import ConfideAnonymity
import Testing

/// ARX's results on Adult (privacy-algorithms.md §7.3, rows 1, 2, 5, 6 and 7).
///
/// Each row is checked twice: the expected transformation applied afresh to every record must
/// give ARX's suppressed records, classes and metric value (a metric-independent check of the
/// model and the formulas); and the lattice search must find that transformation. The searches
/// take seconds in a debug build, so the search of every row runs only in
/// ``ARXSearchTests``; this suite runs the cheap applied checks of all rows.
@Suite(.enabled(if: AdultData.runs)) struct ARXVectorTests {
    /// One ARX configuration and its result.
    struct Vector: Sendable, CustomStringConvertible {
        let row: String
        let k: Int
        let suppression: Double
        let metric: QualityMetric
        let levels: [Int]
        let suppressed: Int?
        let classes: Int?
        let value: Double
        var description: String { "row \(row): k=\(k) supp=\(suppression) \(metric.rawValue)" }
    }

    static let vectors: [Vector] = [
        Vector(row: "1", k: 5, suppression: 0, metric: .entropy, levels: [1, 2, 1, 1, 3, 2, 2, 1, 1], suppressed: 0, classes: 48, value: 407289.5388925293),
        Vector(row: "2", k: 5, suppression: 0.04, metric: .entropy, levels: [1, 0, 1, 1, 3, 2, 2, 0, 1], suppressed: 906, classes: 1046, value: 255559.85455731067),
        Vector(row: "5a", k: 5, suppression: 0, metric: .loss, levels: [0, 4, 1, 1, 3, 2, 2, 1, 0], suppressed: 0, classes: 24, value: 0.5731509655590044),
        Vector(row: "5b", k: 5, suppression: 0.05, metric: .loss, levels: [0, 3, 0, 0, 2, 1, 1, 2, 0], suppressed: 1346, classes: 397, value: 0.2419323650662908),
        Vector(row: "5c", k: 10, suppression: 0, metric: .loss, levels: [0, 4, 1, 1, 3, 2, 2, 1, 0], suppressed: 0, classes: 24, value: 0.5731509655590044),
        Vector(row: "5d", k: 10, suppression: 0.05, metric: .loss, levels: [0, 3, 0, 1, 2, 1, 1, 2, 0], suppressed: 1437, classes: 196, value: 0.2912700156059571),
        Vector(row: "6a", k: 5, suppression: 0, metric: .dm, levels: [1, 1, 1, 2, 3, 2, 2, 1, 1], suppressed: 0, classes: 45, value: 3.3627534e7),
        Vector(row: "6b", k: 5, suppression: 0.05, metric: .dm, levels: [0, 0, 1, 2, 3, 2, 2, 1, 1], suppressed: 105, classes: 356, value: 7220555),
        Vector(row: "6c", k: 10, suppression: 0, metric: .dm, levels: [1, 1, 1, 1, 3, 2, 2, 2, 1], suppressed: 0, classes: 30, value: 5.5170356e7),
        Vector(row: "6d", k: 10, suppression: 0.05, metric: .dm, levels: [1, 0, 1, 2, 3, 2, 2, 1, 1], suppressed: 121, classes: 180, value: 10541769),
    ]

    @Test(arguments: vectors) func expectedTransformationGivesARXsFigures(_ vector: Vector) throws {
        let problem = try AdultData.problem(model: PrivacyModel(k: vector.k, maxSuppression: vector.suppression), metric: vector.metric)
        let applied = AppliedTransformation(problem: problem, levels: vector.levels)
        if let suppressed = vector.suppressed { #expect(applied.statistics.suppressed == suppressed) }
        if let classes = vector.classes { #expect(applied.statistics.classes == classes) }
        #expect(applied.statistics.smallestClass >= vector.k)
        #expect(close(applied.metricValue, vector.value), "\(applied.metricValue) vs ARX \(vector.value)")
    }

    @Test func row7RiskOfTheRawData() throws {
        let problem = try AdultData.problem(model: PrivacyModel(k: 1), metric: .loss)
        let risk = try ReidentificationRisk(table: problem.table, columns: AdultData.columns)
        #expect(risk.classes == 19502)
        #expect(risk.records == 30162)
        #expect(close(risk.prosecutorAverage, 0.6465751607983555, relative: 1e-12))
        #expect(close(risk.sampleUniques, 0.5142895033485844, relative: 1e-12))
        #expect(risk.prosecutorMax == 1 && risk.journalistMax == 1)
        #expect(risk.marketer == risk.prosecutorAverage)
        #expect(risk.recordsAtMax == 15512) // the sample uniques: 0.5142895… × 30162
    }

    @Test func row7RiskAfterARXsTransformation() throws {
        let problem = try AdultData.problem(model: PrivacyModel(k: 2), metric: .loss)
        let applied = AppliedTransformation(problem: problem, levels: [0, 4, 1, 2, 1, 2, 2, 1, 0])
        #expect(applied.statistics.suppressed == 0)
        let risk = applied.riskAfter
        #expect(risk.classes == 58)
        #expect(close(risk.prosecutorAverage, 0.001922949406538028, relative: 1e-12))
        #expect(risk.prosecutorMax == 0.5)
    }
}
