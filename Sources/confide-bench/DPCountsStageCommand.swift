import ArgumentParser
import ConfideBench
import ConfidePipeline
import ConfidePrivacy
import ConfideRelease
import ConfideStore
import Foundation

/// confide's side of the DP speed comparison (issue 5), in its own process: DP counts and
/// bounded means per (therapist, week) from the store, as `DPCountsRelease` describes.
struct DPCountsStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dp-counts-stage",
                                                    abstract: "Child process: DP counts and means per (therapist, week); print the measurement.")

    @Option(help: "The workspace configuration (confide.toml) whose store is read.")
    var config: String

    @Option(help: "ε of the whole release (split evenly between counts and sums), as a decimal.")
    var epsilon: String = "1"

    func run() throws {
        guard let epsilon = Epsilon(epsilon) else { throw ValidationError("ε must be a positive decimal: \(self.epsilon)") }
        let store = try Configuration(path: config).storePath
        MemoryHighWater.reset()
        let start = Date()
        let (rows, therapists) = try DPCountsRelease.read(path: store)
        let read = Date()
        let (partition, week, weeks, _) = DPCountsRelease.partitions(rows, therapists: therapists)
        var sampler = ExactSampler(source: SystemRandomNumberGenerator())
        let released = DPCountsRelease(epsilon: epsilon).release(rows, partition: partition, week: week,
                                                                 partitions: therapists.count * weeks, sampler: &sampler)
        let done = Date()
        let peak = MemoryHighWater.peakMiB()
        let errors = DPCountsRelease.errors(released, rows: rows, partition: partition)
        try StageMeasurement(stage: "dp_counts", seconds: done.timeIntervalSince(start), peakRSSMiB: peak, figures: [
            "read_seconds": read.timeIntervalSince(start), "dp_seconds": done.timeIntervalSince(read),
            "rows": Double(rows.count), "partitions": Double(released.partitions), "epsilon": epsilon.value,
            "count_mae": errors.count, "count_mae_raw": errors.countRaw, "mean_mae": errors.mean,
        ]).emit()
    }
}
