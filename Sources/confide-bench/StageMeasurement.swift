import ConfideBench
import Foundation

/// What a stage child reports to the suite: one JSON line on standard output per stage.
struct StageMeasurement: Codable {
    /// `ingest`, `metrics`, `protect`, `publish`, `weekly_run` or `dp_counts`.
    var stage: String
    /// Wall seconds of the stage's own work (not process start or opening the store).
    var seconds: Double
    /// The resident-memory high-water mark while the stage ran (MiB), reset when it began.
    var peakRSSMiB: Double?
    /// Further figures of the stage (rows loaded, cells, errors of the DP release…).
    var figures: [String: Double] = [:]

    enum CodingKeys: String, CodingKey {
        case stage, seconds, figures
        case peakRSSMiB = "peak_rss_mib"
    }

    /// Prints the measurement as one line of JSON.
    func emit() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }

    /// Runs `body` as the stage `stage`: resets the memory high-water mark, times it, and
    /// returns its measurement with whatever figures `body` returns.
    static func measure(_ stage: String, _ body: () throws -> [String: Double]) rethrows -> StageMeasurement {
        MemoryHighWater.reset()
        let start = Date()
        let figures = try body()
        let seconds = Date().timeIntervalSince(start)
        return StageMeasurement(stage: stage, seconds: seconds, peakRSSMiB: MemoryHighWater.peakMiB(), figures: figures)
    }

    /// The measurements a child printed, by stage.
    static func parse(_ output: String) -> [String: StageMeasurement] {
        var result: [String: StageMeasurement] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("{") {
            if let measurement = try? JSONDecoder().decode(StageMeasurement.self, from: Data(line.utf8)) {
                result[measurement.stage] = measurement
            }
        }
        return result
    }
}
