import ConfideAnonymity
import Foundation

/// A fresh temporary folder with small hand-made files.
struct Scratch {
    let folder: String

    init() {
        folder = NSTemporaryDirectory() + "confide-anonymity-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String) -> String {
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The text of `name`, or nil.
    func read(_ name: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A problem over the file `input` with `hierarchies` (column → hierarchy file text).
    func problem(_ input: String, hierarchies: [String: String], sensitive: String? = nil, model: PrivacyModel,
                 metric: QualityMetric = .loss) throws -> AnonymizationProblem {
        let path = file("input.csv", input)
        let table = try InputTable(path: path, encode: hierarchies.keys.sorted() + (sensitive.map { [$0] } ?? []))
        var parsed: [String: Hierarchy] = [:]
        for (column, text) in hierarchies {
            parsed[column] = try Hierarchy(path: file("h-\(column).csv", text), column: column)
        }
        return try AnonymizationProblem(table: table, hierarchies: parsed, model: model, metric: metric)
    }

    /// The found solution, or nil.
    static func solution(_ problem: AnonymizationProblem) -> Solution? {
        if case .found(let solution) = LatticeSearch.run(problem) { return solution }
        return nil
    }
}
