import ConfideAnonymity
import Foundation
import Testing

/// ARX's Adult data and hierarchies at `../shared/data/adult/` beside the package (see
/// /work/shared/domain/privacy-algorithms.md §7). Tests that need it are skipped with a note when
/// it is missing, unless `CI` is set: then they run and fail.
enum AdultData {
    /// The folder.
    static let folder: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/data/adult").path
    }()

    /// The nine quasi-identifiers in header order.
    static let columns = ["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation", "salary-class"]

    /// Whether the tests that need the data run: it is there, or CI wants a failure when it is not.
    static let runs: Bool = {
        if FileManager.default.fileExists(atPath: folder + "/adult.csv") { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        print("note: \(folder)/adult.csv is missing; the ARX vector tests are skipped (set CI to make them fail instead)")
        return false
    }()

    /// The input path.
    static var input: String { folder + "/adult.csv" }

    /// The hierarchy path of `column`.
    static func hierarchy(_ column: String) -> String { folder + "/adult_hierarchy_\(column).csv" }

    /// The table with `quasiIdentifiers` (and `sensitive`) encoded, read once per set of columns.
    static func problem(quasiIdentifiers: [String] = columns, sensitive: String? = nil, model: PrivacyModel,
                        metric: QualityMetric) throws -> AnonymizationProblem {
        let table = try InputTable(path: input, encode: quasiIdentifiers + (sensitive.map { [$0] } ?? []))
        var hierarchies: [String: Hierarchy] = [:]
        for column in quasiIdentifiers { hierarchies[column] = try Hierarchy(path: hierarchy(column), column: column) }
        return try AnonymizationProblem(table: table, hierarchies: hierarchies, model: model, metric: metric)
    }
}

/// `actual` is within `relative` of `expected`.
func close(_ actual: Double, _ expected: Double, relative: Double = 1e-9) -> Bool {
    abs(actual - expected) <= relative * abs(expected)
}
