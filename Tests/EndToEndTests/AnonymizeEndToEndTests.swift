import Foundation
import Testing

/// `confide anonymize` and `confide risk` through the real binary: a good run, and the exit
/// code of each kind of bad input (nothing written).
@Suite struct AnonymizeEndToEndTests {
    /// A folder with a small table (`id;age;sex;note`, CRLF) and hierarchies for age and sex.
    private func fixture() -> String {
        let folder = Binary.temporaryFolder()
        var rows = ["id;age;sex;note"]
        let ages = ["31", "32", "33", "34", "41", "42", "43", "44", "45", "51"]
        for index in 0..<20 { rows.append("\(index);\(ages[index % ages.count]);\(index % 3 == 0 ? "f" : "m");\"n, \(index)\"") }
        write(folder + "/in.csv", rows.joined(separator: "\r\n") + "\r\n")
        write(folder + "/age.csv", ages.map { "\($0);\($0.prefix(1))0-\($0.prefix(1))9;*" }.joined(separator: "\n") + "\n")
        write(folder + "/sex.csv", "f;*\nm;*\n")
        return folder
    }

    private func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    private func anonymize(_ folder: String, _ extra: [String], out: String = "out.csv") throws -> Binary.Result {
        try Binary.run(["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--qi", "sex=\(folder)/sex.csv",
                        "--out", folder + "/" + out] + extra, in: folder)
    }

    @Test func aGoodRunWritesTheFileAndReportsJSON() throws {
        let folder = fixture()
        let result = try anonymize(folder, ["--k", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let levels = try #require(json["levels"] as? [String: Int])
        #expect(Set(levels.keys) == ["age", "sex"])
        #expect((json["min_class"] as? Int ?? 0) >= 3)
        #expect(json["loss"] is Double && json["metric"] as? String == "loss")
        let risk = try #require(json["risk"] as? [String: Any])
        for key in ["prosecutor_max", "prosecutor_avg", "journalist_max", "marketer", "sample_uniques"] {
            #expect(risk[key] is Double, "risk.\(key)")
            #expect((risk["before"] as? [String: Any])?[key] is Double && (risk["after"] as? [String: Any])?[key] is Double)
        }
        let output = try String(contentsOfFile: folder + "/out.csv", encoding: .utf8)
        let lines = output.components(separatedBy: "\r\n")
        #expect(lines.first == "id;age;sex;note")
        #expect(lines[1].hasPrefix("0;") && lines[1].hasSuffix(";\"n, 0\""))
        #expect(lines.count == 22 && lines.last == "")
    }

    @Test func riskOfTheFileAsItIs() throws {
        let folder = fixture()
        let result = try Binary.run(["risk", folder + "/in.csv", "--qi", "age", "--qi", "sex", "--json"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["prosecutor_max"] as? Double == 1)
        // Each age occurs twice (records i and i + 10); the pair shares its sex only for i % 3 == 1.
        #expect(json["sample_uniques"] as? Double == 0.7)
        #expect(json["records_at_max"] as? Int == 14)
        let after = try Binary.run(["risk", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--qi", "sex=\(folder)/sex.csv",
                                    "--k", "2", "--json"], in: folder)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("\"after\""))
    }

    @Test func badInputsExitWithTheirCodesAndWriteNothing() throws {
        let folder = fixture()
        let cases: [(String, [String], Int32)] = [
            ("missing input", ["anonymize", folder + "/absent.csv", "--qi", "age=\(folder)/age.csv", "--k", "2", "--out", folder + "/o.csv"], 66),
            ("missing hierarchy file", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/absent.csv", "--k", "2", "--out", folder + "/o.csv"], 66),
            ("QI without hierarchy", ["anonymize", folder + "/in.csv", "--qi", "age", "--k", "2", "--out", folder + "/o.csv"], 65),
            ("QI not in header", ["anonymize", folder + "/in.csv", "--qi", "zip=\(folder)/age.csv", "--k", "2", "--out", folder + "/o.csv"], 65),
            ("k larger than records", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--k", "21", "--out", folder + "/o.csv"], 65),
            ("value not in hierarchy", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/sex.csv", "--k", "2", "--out", folder + "/o.csv"], 65),
            ("l without sensitive", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--k", "2", "--l", "2", "--out", folder + "/o.csv"], 64),
            ("bad metric", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--k", "2", "--metric", "nope", "--out", folder + "/o.csv"], 64),
            ("suppression above 1", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--k", "2", "--max-suppression", "2", "--out", folder + "/o.csv"], 64),
            ("output folder missing", ["anonymize", folder + "/in.csv", "--qi", "age=\(folder)/age.csv", "--k", "2", "--out", folder + "/no/o.csv"], 73),
        ]
        for (name, arguments, expected) in cases {
            let result = try Binary.run(arguments, in: folder)
            #expect(result.status == expected, "\(name): \(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("31;") && !result.stderr.contains("\"n, "), "\(name) leaks a value: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/o.csv"))
    }

    @Test func noSolutionExits65WithWhatWouldMakeOne() throws {
        let folder = fixture()
        write(folder + "/flat.csv", "f\nm\n") // sex cannot be generalised: 7 f and 13 m
        let result = try Binary.run(["anonymize", folder + "/in.csv", "--qi", "sex=\(folder)/flat.csv", "--k", "10",
                                     "--out", folder + "/o.csv"], in: folder)
        #expect(result.status == 65)
        #expect(result.stderr.contains("--max-suppression 0.3500") && result.stderr.contains("largest k that works is 7"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/o.csv"))
    }
}
