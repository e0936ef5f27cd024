import Foundation
import Testing

/// The contents of every regular file under `folder`, by relative path.
private func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for relative in FileManager.default.subpaths(atPath: folder) ?? [] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = FileManager.default.contents(atPath: folder + "/" + relative)
        }
    }
    return files
}

/// `demo` and `synth` never overwrite a practice's work (issue 14): they stop with 73 and leave
/// every file byte for byte.
@Suite struct RealWorkTests {
    @Test func synthRefusesAFolderThatHoldsFilesUnlessForced() throws {
        let folder = Binary.temporaryFolder()
        let exports = folder + "/exports"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try Data("referral_id,client_id\nR1,C1\n".utf8).write(to: URL(fileURLWithPath: exports + "/referrals.csv"))
        let before = snapshot(exports)
        let refused = try Binary.run(["synth", "--out", exports, "--clients", "50"], in: folder)
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("--force") && refused.stderr.contains("referrals.csv"))
        #expect(snapshot(exports) == before)
        let forced = try Binary.run(["synth", "--out", exports, "--clients", "50", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(snapshot(exports) != before)
    }

    @Test func demoRefusesAPracticesWorkspaceAndReports() throws {
        let practice = try Binary.practice(clients: 200, seed: 5)
        #expect(try Binary.run(["run", "--config", practice + "/confide.toml", "--week", "2026-W26"], in: practice).status == 0)
        let before = snapshot(practice)
        let intoWorkspace = try Binary.run(["demo", "--workspace", practice, "--reports", practice + "/other-reports"], in: practice)
        #expect(intoWorkspace.status == 73)
        #expect(intoWorkspace.stderr.contains("not the demo's"))
        let overReports = try Binary.run(["demo", "--workspace", practice + "/demo", "--reports", practice + "/Reports"], in: practice)
        #expect(overReports.status == 73)
        #expect(overReports.stderr.contains("--reports"))
        #expect(snapshot(practice) == before)
        #expect(!FileManager.default.fileExists(atPath: practice + "/demo"))
    }

    /// `confide quarantine` lists where and why, never what: a row with a planted name in a bad
    /// date column is listed by file, line, column and reason; the name is in no output.
    @Test func quarantineListsFileLineColumnAndReasonNeverTheValue() throws {
        let practice = try Binary.practice(clients: 200, seed: 6)
        let appointments = practice + "/exports/appointments.csv"
        var text = try String(contentsOfFile: appointments, encoding: .utf8)
        let header = text.prefix { $0 != "\n" }.split(separator: ",").map(String.init)
        let row = header.map { $0 == "date" ? "Zebedee Quartermaine" : $0 == "appointment_id" ? "AX1" : $0 == "status" ? "attended" : "x" }
        text += (text.hasSuffix("\n") ? "" : "\n") + row.joined(separator: ",") + "\n"
        try text.write(toFile: appointments, atomically: true, encoding: .utf8)
        let lines = text.split(separator: "\n").count
        let ingest = try Binary.run(["ingest", "--config", practice + "/confide.toml", "--json"], in: practice)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let listed = try Binary.run(["quarantine", "--config", practice + "/confide.toml", "--json"], in: practice)
        #expect(listed.status == 0, "\(listed.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.contains { $0["file"] as? String == "appointments.csv" && $0["line"] as? Int == lines })
        let plain = try Binary.run(["quarantine", "--config", practice + "/confide.toml"], in: practice)
        #expect(plain.status == 0 && plain.stdout.contains("appointments.csv:\(lines):"))
        for output in [listed.stdout, listed.stderr, plain.stdout, plain.stderr] { #expect(!output.contains("Zebedee")) }
        let runs = try Binary.run(["quarantine", "--config", practice + "/confide.toml", "--runs"], in: practice)
        #expect(runs.status == 0 && runs.stdout.contains("#1 "))
    }
}
