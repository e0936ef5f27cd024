@testable import ConfidePipeline
import Foundation

/// Loads `text` as a `confide.toml` written to a temporary file (removed afterwards).
func loadConfiguration(_ text: String) throws -> Configuration {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-\(UUID().uuidString).toml").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try Configuration(path: path)
}
