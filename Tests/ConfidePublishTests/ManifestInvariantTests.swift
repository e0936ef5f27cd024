import ConfideRelease
import ConfideMetrics
import ConfideModel
import ConfidePrivacy
@testable import ConfidePublish
import ConfideSynth
import Foundation
import Testing

/// A caseload release with one group per entry of `clients` (therapist → clients), through the
/// Protector: groups under `min_clients` (5) are suppressed.
func groupedRelease(clients: [String: Int], mode: ProtectionMode, week: String = "2026-W10") -> ProtectedRelease {
    let therapists = clients.keys.sorted()
    let histogram = Catalogue.histogram("appointments")!
    var cells = [ClassCell(histogram: "appointments", cls: "attended", groupType: .practice, group: "all")]
    cells += therapists.map { ClassCell(histogram: "appointments", cls: "attended", groupType: .therapist, group: $0) }
    var contributions: [Contribution] = []
    for (i, therapist) in therapists.enumerated() {
        for client in 0..<clients[therapist]! {
            let id = Int32(i * 1000 + client)
            contributions.append(Contribution(client: id, cell: 0, amount: 1))
            contributions.append(Contribution(client: id, cell: Int32(i + 1), amount: 1))
        }
    }
    let table = ExactTable(name: .caseload, histograms: [histogram], cells: cells, contributions: contributions,
                           measures: [Catalogue.measure("appointments_attended")!])
    var sampler = ExactSampler(source: SeededGenerator(seed: 42))
    let settings = PrivacySettings(mode: mode, epsilonPerWeek: Epsilon(numerator: 1_000, denominator: 1), epsilonPerReferral: Epsilon(numerator: 1_000, denominator: 1))
    return Protector(settings: settings).protect(ExactRelease(period: ISOWeek(week)!, tables: [table]), sampler: &sampler)
}

/// The files of a week folder as the pipeline writes them (without the reports).
func weekFiles(_ release: ProtectedRelease) -> [(String, String)] {
    var files = [("caseload.csv", CSVExport.render(release.cells(in: .caseload), of: release))]
    let therapists = Set(release.cells.filter { $0.groupType == .therapist }.map(\.group))
    let names = SupervisionFileNames(therapists: therapists)
    for therapist in therapists.sorted() {
        files.append((names.path(of: therapist), CSVExport.render(release.cells.filter { $0.group == therapist }, of: release)))
    }
    files.append(("manifest.json", Manifest.render(release, toolVersion: "test", configurationHash: "0", files: files.map(\.0) + ["manifest.json"])))
    return files
}

/// Replaces line `line` (1-based) of file `name` in `files` by `transform(line)`.
func tamper(_ files: [(String, String)], _ name: String, line: Int, _ transform: (String) -> String) -> [(String, String)] {
    files.map { file in
        guard file.0 == name else { return file }
        var lines = file.1.components(separatedBy: "\r\n")
        lines[line - 1] = transform(lines[line - 1])
        return (file.0, lines.joined(separator: "\r\n"))
    }
}

/// The line number of the first row of `name` whose status is `status`.
func firstLine(of status: String, in files: [(String, String)], _ name: String) -> Int {
    let lines = files.first { $0.0 == name }!.1.components(separatedBy: "\r\n")
    return lines.firstIndex { $0.hasSuffix("," + status) }! + 1
}

@Suite struct ManifestInvariantTests {
    let clients = ["T01": 20, "T02": 12, "T03": 2]

    func findings(_ files: [(String, String)]) throws -> [LeakFinding] {
        let root = temporaryFolder()
        do {
            _ = try Publisher(root: root).publish(folder: "2026-W10", files: files, audit: LeakAudit(allowedDates: ["2026-03-02", "2026-03-08"]))
        } catch PublishError.auditFailed(let findings) {
            #expect(!FileManager.default.fileExists(atPath: root + "/2026-W10"), "nothing is published when the audit fails")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".staging") }.isEmpty)
            return findings
        }
        return []
    }

    @Test(arguments: [ProtectionMode.sdc, .dp])
    func aReleaseAsRenderedKeepsEveryInvariant(_ mode: ProtectionMode) throws {
        let release = groupedRelease(clients: clients, mode: mode)
        #expect(release.suppressedCount > 0 && release.suppressedCount < release.cells.count)
        #expect(try findings(weekFiles(release)) == [])
    }

    @Test(arguments: [ProtectionMode.sdc, .dp])
    func aSuppressedRowWithAValueFailsThePublication(_ mode: ProtectionMode) throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: mode))
        let line = firstLine(of: "suppressed", in: files, "caseload.csv")
        let tampered = tamper(files, "caseload.csv", line: line) { $0.replacingOccurrences(of: ",,,,suppressed", with: ",3,1,6,suppressed") }
        let found = try findings(tampered)
        #expect(found.contains(LeakFinding(file: "caseload.csv", line: line, rule: "manifest_invariants",
                                           detail: "suppressed row has a value or interval")))
        #expect(!found.map(\.description).joined().contains(",3,"), "a finding never carries the value")
    }

    @Test func anSDCCountThatIsNotAMultipleOfFiveFails() throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: .sdc))
        let line = firstLine(of: "published", in: files, "caseload.csv")
        let tampered = tamper(files, "caseload.csv", line: line) { row in
            var fields = row.components(separatedBy: ",")
            fields[6] = String(Int(fields[6])! + 1)
            return fields.joined(separator: ",")
        }
        #expect(try findings(tampered).contains { $0.file == "caseload.csv" && $0.line == line && $0.detail == "sdc count not a multiple of 5" })
    }

    @Test func aDPRowWithoutItsIntervalFails() throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: .dp))
        let line = firstLine(of: "published", in: files, "caseload.csv")
        let tampered = tamper(files, "caseload.csv", line: line) { row in
            var fields = row.components(separatedBy: ",")
            (fields[7], fields[8]) = ("", "")
            return fields.joined(separator: ",")
        }
        #expect(try findings(tampered).contains { $0.line == line && $0.detail == "published row lacks its interval" })
    }

    @Test func aSupervisionRowThatShowsASuppressedValueFails() throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: .sdc))
        let tampered = tamper(files, "supervision/T03.csv", line: 2) { $0.replacingOccurrences(of: ",,,,suppressed", with: ",2,0,4,suppressed") }
        #expect(try findings(tampered).map(\.description) == ["supervision/T03.csv:2: manifest_invariants (suppressed row has a value or interval)"])
    }

    @Test func rowsAndFilesAreCountedAgainstTheManifest() throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: .sdc))
        let line = firstLine(of: "published", in: files, "caseload.csv")
        let dropped = files.map { $0.0 == "caseload.csv" ? ($0.0, $0.1.components(separatedBy: "\r\n").enumerated().filter { $0.offset != line - 1 }.map(\.element).joined(separator: "\r\n")) : $0 }
        let found = try findings(dropped)
        #expect(found.contains { $0.file == "caseload.csv" && $0.detail == "published rows differ from the manifest's cells_published" })
        #expect(found.contains { $0.file == "manifest.json" && $0.detail == "cell counts differ from the tables' rows" })

        let extra = try findings(files + [("notes.csv", "x\r\n")])
        #expect(extra.map(\.description) == ["notes.csv:1: manifest_invariants (file not listed in the manifest)"])
        let missing = try findings(files.filter { $0.0 != "supervision/T01.csv" })
        #expect(missing.map(\.detail) == ["listed file supervision/T01.csv is missing"])
    }

    @Test func aManifestThatDoesNotParseFails() throws {
        let files = weekFiles(groupedRelease(clients: clients, mode: .sdc)).map { $0.0 == "manifest.json" ? ($0.0, "{") : $0 }
        #expect(try findings(files).map(\.description) == ["manifest.json:1: manifest_invariants (manifest does not parse)"])
    }
}

@Suite struct ManifestNumberTests {
    @Test func epsilonIsAJSONNumberWithTheExactFractionBeside() throws {
        let release = groupedRelease(clients: ["T01": 20], mode: .dp)
        let text = Manifest.render(release, toolVersion: "t", configurationHash: "0", files: [])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let privacy = try #require(json["privacy"] as? [String: Any])
        #expect(privacy["epsilon"] as? Double == 1000 && privacy["epsilon_exact"] as? String == "1000")
        let tables = try #require(json["tables"] as? [String: [String: Any]])
        let measures = try #require(tables["caseload"]?["measures"] as? [[String: Any]])
        #expect(!measures.isEmpty)
        var sum = 0.0
        for measure in measures {
            let exact = try #require(measure["epsilon_exact"] as? String)
            let parts = exact.split(separator: "/").compactMap { Double($0) }
            let value = parts.count == 2 ? parts[0] / parts[1] : parts[0]
            #expect(abs(value - (measure["epsilon"] as? Double ?? -1)) < 1e-6)
            sum += value
        }
        #expect(abs(sum - 1000) < 1e-6, "the slots share the release's ε exactly")
        #expect(!text.contains("\"epsilon\" : \""), "no ε is written as a string")
    }
}

@Suite struct SupervisionFileNameTests {
    @Test func idsThatSanitiseAlikeGetDistinctDeterministicNames() {
        let names = SupervisionFileNames(therapists: ["T.1", "T_1", "T/1", "t_1", "T02", "Dr. Jo"])
        let colliding = ["T.1", "T_1", "T/1", "t_1"].map { names.nameByTherapist[$0]! }
        #expect(Set(colliding.map { $0.lowercased() }).count == 4, "distinct even ignoring case")
        #expect(colliding.allSatisfy { $0.hasPrefix("T_1-") || $0.hasPrefix("t_1-") })
        #expect(colliding.allSatisfy { TextSafety.fileName($0) == $0 }, "suffixed names are still safe names")
        #expect(names.nameByTherapist["T02"] == "T02" && names.nameByTherapist["Dr. Jo"] == "Dr__Jo")
        #expect(SupervisionFileNames(therapists: ["t_1", "T/1", "Dr. Jo", "T02", "T_1", "T.1"]) == names, "order does not matter")
        #expect(names.path(of: "T.1") == "supervision/" + names.nameByTherapist["T.1"]! + ".csv")
    }

    @Test func collidingTherapistsEachKeepTheirOwnRows() throws {
        let release = groupedRelease(clients: ["T.1": 20, "T_1": 12], mode: .sdc)
        let files = weekFiles(release)
        let supervision = files.filter { $0.0.hasPrefix("supervision/") }
        #expect(supervision.count == 2 && Set(supervision.map(\.0)).count == 2)
        for (_, content) in supervision {
            let groups = Set(content.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.components(separatedBy: ",")[3] })
            #expect(groups.count == 1)
        }
        let root = temporaryFolder()
        _ = try Publisher(root: root).publish(folder: "2026-W10", files: files, audit: LeakAudit(allowedDates: ["2026-03-02", "2026-03-08"]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/2026-W10/supervision").count == 2)
    }
}
