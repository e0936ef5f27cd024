import Foundation
import Testing

/// The rows of a case list CSV (header first), split on commas (no field holds one).
private func caseRows(_ path: String) -> [[String]] {
    (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
}

@Suite(.serialized) struct CaseListTests {
    /// A practice with `[supervision] case_lists = true` (and `extra` lines in that section).
    static func practice(_ extra: String = "") throws -> String {
        let folder = try Binary.practice(clients: 150, seed: 5)
        let configuration = folder + "/confide.toml"
        let text = try String(contentsOfFile: configuration, encoding: .utf8) + "\n[supervision]\ncase_lists = true\n" + extra
        try text.write(toFile: configuration, atomically: true, encoding: .utf8)
        return folder
    }

    /// The run that closes a supervision period writes a case list per therapist that holds k
    /// and l as its manifest says, re-publishes it byte for byte, gives each case a new code
    /// in the next period, and `confide case` maps a code back inside the practice.
    @Test func aPeriodsCaseListsHoldKAndLAndMapBack() throws {
        let folder = try Self.practice()
        let first = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W20"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let week = folder + "/Reports/2026-W20"
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: week + "/manifest.json"))) as? [String: Any])
        let lists = try #require((manifest["supervision"] as? [String: Any])?["case_lists"] as? [[String: Any]])
        #expect(lists.count == 3, "one list per therapist")
        var codes = Set<String>()
        for entry in lists {
            let file = try #require(entry["file"] as? String)
            #expect(file.hasPrefix("supervision/") && file.hasSuffix("-cases.csv"))
            #expect(entry["k"] as? Int == 5 && entry["l"] as? Int == 2)
            let rows = caseRows(week + "/" + file)
            #expect(rows.first?.first == "case_code" && rows.first?.count == 15)
            #expect(rows.count - 1 == entry["rows"] as? Int)
            var groups: [[String]: (Int, Set<String>)] = [:]
            for row in rows.dropFirst() {
                codes.insert(row[0])
                #expect(row[0].range(of: "^case-[a-z]{4}-[a-z]{4}$", options: .regularExpression) != nil)
                let key = Array(row[1...5])
                if key.allSatisfy({ $0 == "*" }) { continue }
                groups[key, default: (0, [])].0 += 1
                groups[key, default: (0, [])].1.insert(row[13])
            }
            #expect(groups.values.allSatisfy { $0.0 >= 5 && $0.1.count >= 2 }, "\(file): a group under k or l")
            let risk = try #require(entry["risk_after"] as? [String: Any])
            #expect((risk["prosecutor_max"] as? Double ?? 1) <= 0.2 + 1e-12 || (entry["rows"] as? Int) == 0)
        }
        #expect(!codes.isEmpty)
        #expect(try String(contentsOfFile: week + "/weekly-report.md", encoding: .utf8).contains("Case lists for consultation"))

        // The case list is stored with the period's release: a re-run re-publishes the same bytes.
        let before = Binary.files(under: week)
        let again = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W20"], in: folder)
        #expect(again.status == 0 && again.stdout.contains("unchanged"), "\(again.stdout)")
        #expect(Binary.files(under: week) == before)

        // A code maps back inside the practice; an unknown one is exit 66.
        let code = codes.sorted()[0]
        let found = try Binary.run(["case", code, "--config", "confide.toml"], in: folder)
        #expect(found.status == 0 && found.stdout.contains("referral received"), "\(found.stderr)")
        #expect(try Binary.run(["case", "case-zzzz-zzzz", "--config", "confide.toml"], in: folder).status == 66)

        // The next period gives every case a new code: a supervisor cannot link the periods.
        let next = try Binary.run(["run", "--config", "confide.toml", "--week", "2026-W24"], in: folder)
        #expect(next.status == 0, "\(next.stderr)")
        let nextCodes = Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/Reports/2026-W24/supervision")
            .filter { $0.hasSuffix("-cases.csv") }
            .flatMap { caseRows(folder + "/Reports/2026-W24/supervision/" + $0).dropFirst().map(\.[0]) })
        #expect(!nextCodes.isEmpty && nextCodes.isDisjoint(with: codes))
    }

    /// With `stable_case_codes`, a case open in both periods keeps its code.
    @Test func stableCodesLinkPeriodsWhenThePracticeChoosesThem() throws {
        let folder = try Self.practice("stable_case_codes = true\n")
        for week in ["2026-W20", "2026-W24"] {
            let run = try Binary.run(["run", "--config", "confide.toml", "--week", week], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
        }
        func codes(_ week: String) throws -> Set<String> {
            let dir = folder + "/Reports/\(week)/supervision"
            return Set(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("-cases.csv") }
                .flatMap { caseRows(dir + "/" + $0).dropFirst().map(\.[0]) })
        }
        #expect(!(try codes("2026-W20")).isDisjoint(with: try codes("2026-W24")))
    }
}
