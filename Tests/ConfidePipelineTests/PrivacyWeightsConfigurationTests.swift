@testable import ConfidePipeline
import Foundation
import Testing

private func configuration(_ text: String) throws -> Configuration {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-\(UUID().uuidString).toml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try Configuration(path: path)
}

@Suite struct PrivacyWeightsConfigurationTests {
    @Test func weightsAreReadPerSlot() throws {
        let read = try configuration("[privacy.weights]\n\"appointments/therapist\" = 6\n\"outcomes/ethnicity\" = 2.0\n")
        #expect(read.privacy.weights == ["appointments/therapist": 6, "outcomes/ethnicity": 2])
        #expect(try configuration("[privacy]\nmode = \"dp\"\n").privacy.weights.isEmpty)
    }

    @Test(arguments: [
        ("[privacy.weights]\n\"appointments/shoe_size\" = 2\n", "\"appointments/shoe_size\" is not a budget slot"),
        ("[privacy.weights]\nappointments = 2\n", "\"appointments\" is not a budget slot"),
        ("[privacy.weights]\n\"appointments/therapist\" = 0\n", "must be a whole number from 1 to 1000"),
        ("[privacy.weights]\n\"appointments/therapist\" = -3\n", "must be a whole number from 1 to 1000"),
        ("[privacy.weights]\n\"appointments/therapist\" = 1.5\n", "must be a whole number from 1 to 1000"),
        ("[privacy.weights]\n\"appointments/therapist\" = \"high\"\n", "must be a whole number from 1 to 1000"),
        ("[privacy]\nweights = 3\n", "[privacy.weights] must be a table"),
        ("[privacy.weights]\n\"ended/practice\" = 10\n", "\"ended/practice\" is no longer a budget slot: the practice's referrals received, entries to treatment and endings share \"flows/practice\""),
        ("[privacy.weights]\n\"referrals_received/practice\" = 10\n", "share \"flows/practice\""),
    ])
    func badWeightsAreAConfigurationError(_ text: String, _ message: String) throws {
        do {
            _ = try configuration(text)
            Issue.record("accepted: \(text)")
        } catch let error as ConfideError {
            #expect(error.status == .config)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
