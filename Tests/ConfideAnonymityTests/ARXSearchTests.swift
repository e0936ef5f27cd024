import ConfideAnonymity
import Foundation
import Testing

/// The lattice search finds ARX's optimum (privacy-algorithms.md §7.3 rows 1, 2, 5 and 6).
///
/// A search over Adult takes about 8 s in a debug build (`swift test`), so one row (5, k = 5 with
/// 5 % suppression, the cheapest) runs in-process here, and every row runs through the release
/// binary (`confide anonymize --json`) when `.build/release/confide` is built and newer than the
/// sources; otherwise that test is skipped with a note (`swift build -c release` first).
@Suite(.enabled(if: AdultData.runs)) struct ARXSearchTests {
    @Test(arguments: ARXVectorTests.vectors.filter { $0.row == "5b" })
    func searchInProcess(_ vector: ARXVectorTests.Vector) throws {
        let problem = try AdultData.problem(model: PrivacyModel(k: vector.k, maxSuppression: vector.suppression), metric: vector.metric)
        guard case .found(let solution) = LatticeSearch.run(problem) else {
            Issue.record("no solution for \(vector)")
            return
        }
        #expect(solution.levels == vector.levels)
        #expect(solution.statistics.suppressed == vector.suppressed)
        #expect(solution.statistics.classes == vector.classes)
        #expect(close(solution.metricValue, vector.value), "\(solution.metricValue) vs ARX \(vector.value)")
    }

    @Test(.enabled(if: ReleaseBinary.path != nil), arguments: ARXVectorTests.vectors)
    func searchWithTheReleaseBinary(_ vector: ARXVectorTests.Vector) throws {
        let binary = try #require(ReleaseBinary.path)
        let out = NSTemporaryDirectory() + "confide-arx-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: out) }
        var arguments = ["anonymize", AdultData.input, "--k", "\(vector.k)", "--max-suppression", "\(vector.suppression)",
                         "--metric", vector.metric.rawValue, "--out", out, "--json"]
        for column in AdultData.columns { arguments += ["--qi", "\(column)=\(AdultData.hierarchy(column))"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["transformation"] as? [Int] == vector.levels)
        #expect(json["suppressed"] as? Int == vector.suppressed)
        #expect(json["classes"] as? Int == vector.classes)
        #expect(close(json["loss"] as? Double ?? 0, vector.value))
    }
}

/// `.build/release/confide` when it is newer than every source that goes into it, else nil
/// (with a note).
enum ReleaseBinary {
    static let path: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/release/confide").path
        let manager = FileManager.default
        guard let built = (try? manager.attributesOfItem(atPath: binary))?[.modificationDate] as? Date else {
            print("note: \(binary) is not built; the ARX searches through the release binary are skipped (swift build -c release)")
            return nil
        }
        for folder in ["Sources/ConfideAnonymity", "Sources/confide"] {
            let url = root.appendingPathComponent(folder)
            for name in (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] {
                let modified = (try? manager.attributesOfItem(atPath: url.appendingPathComponent(name).path))?[.modificationDate] as? Date
                if let modified, modified > built {
                    print("note: \(binary) is older than \(folder)/\(name); the ARX searches through the release binary are skipped")
                    return nil
                }
            }
        }
        return binary
    }()
}
