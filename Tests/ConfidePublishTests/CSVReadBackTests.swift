import ConfidePrivacy
@testable import ConfidePublish
import Foundation
import Testing

/// Reads a CSV with Python's csv module and prints each record as JSON, one a line.
private let readWithPython = """
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    for record in csv.reader(handle):
        print(json.dumps(record))
"""

@Suite struct CSVReadBackTests {
    /// Group names that a spreadsheet would run as formulas, with quotes, commas and line breaks.
    static let planted = [#"=HYPERLINK("http://x.invalid","open")"#, "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "\tTAB", "\rCR", "a,b\r\nc \"q\""]

    @Test func plantedFormulasComeBackFromPythonsCSVModuleNeutralisedAndWhole() throws {
        let release = sampleRelease(therapists: Self.planted)
        let csv = CSVExport.render(release.cells(in: .caseload), of: release)
        let file = temporaryFolder() + "/caseload.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", readWithPython, file]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let records = try String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String]) }
        #expect(records.first?.joined(separator: ",") == CSVExport.header)
        #expect(records.count == 1 + release.cells(in: .caseload).count)
        #expect(records.allSatisfy { $0.count == 10 })
        let groups = Set(records.dropFirst().filter { $0[2] == "therapist" }.map { $0[3] })
        for text in Self.planted {
            let expected = "=+-@\t\r".unicodeScalars.contains(text.unicodeScalars.first!) ? "'" + text : text
            #expect(groups.contains(expected), "\(text.debugDescription) did not come back as \(expected.debugDescription)")
        }
        for record in records.dropFirst() {
            for cell in record where cell.first.map({ "=+-@\t\r".contains($0) }) ?? false {
                #expect(Double(cell) != nil, "a cell a spreadsheet would run: \(cell.debugDescription)")
            }
        }
    }
}
