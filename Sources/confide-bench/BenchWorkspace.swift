import ConfideBench
import ConfidePipeline
import Foundation

/// The confide workspace a run measures, in `<practice>/run/` (made afresh every run):
/// `confide.toml` reads the base export as a snapshot, `weekly.toml` the one-week delta as a
/// delta export; both share the key, the store and `Reports/`.
struct BenchWorkspace {
    /// The folder.
    let folder: String

    init(practice: SyntheticPractice) {
        folder = practice.folder + "/run"
    }

    /// The configuration of the base export.
    var baseConfiguration: String { folder + "/confide.toml" }
    /// The configuration of the delta export.
    var weeklyConfiguration: String { folder + "/weekly.toml" }

    /// Removes an earlier run's workspace and writes both configurations and a new key.
    func create(practice: SyntheticPractice) throws {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = "Benchmark practice (synthetic, \(practice.clients) clients)"
        let base = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.base), publishDir: "Reports")
        let weekly = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.delta), publishDir: "Reports")
            .replacingOccurrences(of: "mode = \"snapshot\"", with: "mode = \"delta\"")
        guard weekly.contains("mode = \"delta\"") else { throw BenchError("the configuration template has no [source] mode line") }
        try base.write(toFile: baseConfiguration, atomically: true, encoding: .utf8)
        try weekly.write(toFile: weeklyConfiguration, atomically: true, encoding: .utf8)
        _ = try Initialiser.initialise(directory: folder)
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
