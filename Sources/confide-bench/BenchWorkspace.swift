import ConfideBench
import ConfidePipeline
import Foundation

/// The confide workspace a run measures, in `<practice>/run/` (made afresh every run):
/// `confide.toml` reads the base export as a snapshot, `weekly.toml` the one-week delta as a
/// delta export; both share the key, the store and `Reports/`.
struct BenchWorkspace {
    /// The folder.
    let folder: String

    /// The PostgreSQL store of `--store postgres` (nil: the SQLite file in ``folder``).
    let storeURL: String?

    init(practice: SyntheticPractice, storeURL: String? = nil) {
        folder = practice.folder + (storeURL == nil ? "/run" : "/run-postgres")
        self.storeURL = storeURL
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
        let base = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.base), publishDir: "Reports", storeURL: storeURL)
        let weekly = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.delta), publishDir: "Reports", storeURL: storeURL)
            .replacingOccurrences(of: "mode = \"snapshot\"", with: "mode = \"delta\"")
        guard weekly.contains("mode = \"delta\"") else { throw BenchError("the configuration template has no [source] mode line") }
        try base.write(toFile: baseConfiguration, atomically: true, encoding: .utf8)
        try weekly.write(toFile: weeklyConfiguration, atomically: true, encoding: .utf8)
        _ = try Initialiser.initialise(directory: folder)
    }

    /// The store's bytes: the SQLite file and its WAL, if any.
    func storeBytes() -> Int {
        let store = folder + "/confide.sqlite"
        return [store, store + "-wal"].reduce(0) { $0 + fileSize($1) }
    }

    /// A copy of this workspace's store and key in `<practice>/run-snapshot/`, with
    /// `confide.toml` reading the base export and `changed.toml` the changed one, both in
    /// snapshot mode. Returns the two configurations.
    func snapshotCopy(practice: SyntheticPractice) throws -> (unchanged: String, changed: String) {
        let copy = practice.folder + "/run-snapshot"
        let files = FileManager.default
        try? files.removeItem(atPath: copy)
        try files.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in ["confide.sqlite", "confide.sqlite-wal", "confide.key"] where files.fileExists(atPath: folder + "/" + name) {
            try files.copyItem(atPath: folder + "/" + name, toPath: copy + "/" + name)
        }
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy + "/confide.key")
        let name = "Benchmark practice (synthetic, \(practice.clients) clients), snapshot"
        let unchanged = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.base), publishDir: "Reports")
        let changed = ConfigTemplate.render(practiceName: name, sourcePath: absolute(practice.changed), publishDir: "Reports")
        guard unchanged.contains("mode = \"snapshot\"") else { throw BenchError("the configuration template is not in snapshot mode") }
        try unchanged.write(toFile: copy + "/confide.toml", atomically: true, encoding: .utf8)
        try changed.write(toFile: copy + "/changed.toml", atomically: true, encoding: .utf8)
        return (copy + "/confide.toml", copy + "/changed.toml")
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// The size of the file at `path` in bytes (0 when there is none).
func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}
