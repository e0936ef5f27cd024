@testable import ConfidePipeline
import Foundation
import Testing

/// The leak audit's source-identifier test (``SourceIdentifierTest``): one pseudonymiser, each
/// distinct token looked up once per audit, the same answers as ``Workspace/isSourceIdentifier(_:)``.
@Suite struct SourceIdentifierTests {
    @Test func anAuditsTestKnowsTheSourceIdsAndAnswersRepeatsTheSame() throws {
        let practice = try PracticeFixture(clients: 60)
        let workspace = try Workspace(configuration: try practice.configuration(), logger: quiet)
        _ = try workspace.ingest()
        // The synthetic export's first referral row: R1 of client C1 (raw ids, as a report might leak them).
        let referrals = try String(contentsOfFile: practice.folder + "/exports/referrals.csv", encoding: .utf8).split(separator: "\n")
        let first = referrals[1].split(separator: ",").map(String.init)
        let appointment = try String(contentsOfFile: practice.folder + "/exports/appointments.csv", encoding: .utf8)
            .split(separator: "\n")[1].split(separator: ",").map(String.init)[0]
        let test = workspace.sourceIdentifierTest()
        for token in [first[0], first[1], appointment] {
            #expect(test(token))
            #expect(test(token))  // answered from the audit's memory
            #expect(workspace.isSourceIdentifier(token))
        }
        for token in ["weekly", "caseload", "R999999", first[0] + "x"] {
            #expect(!test(token))
            #expect(!test(token))
            #expect(!workspace.isSourceIdentifier(token))
        }
    }
}
