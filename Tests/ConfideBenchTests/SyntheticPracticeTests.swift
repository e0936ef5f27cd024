import ConfideBench
import Foundation
import Testing

private func lines(_ path: String) throws -> [[Substring]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
}

@Suite struct SyntheticPracticeTests {
    /// The base export is the practice one week before the end, and base plus delta is the
    /// whole export.
    @Test func baseAndDeltaSplitTheExportAtTheLastWeek() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("confide-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let practice = SyntheticPractice(clients: 300, work: work)
        #expect(try practice.prepare())
        #expect(try practice.prepare() == false, "a second run reuses the cache")
        let cutoff = SyntheticPractice.baseLastDay.iso

        for (file, dateField) in [("appointments.csv", 3), ("measures.csv", 1)] {
            let all = try lines(practice.exports + "/" + file)
            let base = try lines(practice.base + "/" + file), delta = try lines(practice.delta + "/" + file)
            #expect(base.count + delta.count == all.count, "\(file)")
            #expect(base.allSatisfy { $0[dateField] <= cutoff }, "\(file)")
            #expect(!delta.isEmpty && delta.allSatisfy { $0[dateField] > cutoff }, "\(file)")
        }

        let all = try lines(practice.exports + "/referrals.csv")
        let base = try lines(practice.base + "/referrals.csv"), delta = try lines(practice.delta + "/referrals.csv")
        #expect(base.count == all.filter { $0[2] <= cutoff }.count)
        #expect(base.allSatisfy { $0.count == 11 && ($0[9].isEmpty || $0[9] <= cutoff) && ($0[9].isEmpty == $0[10].isEmpty) })
        let endedLastWeek = all.filter { $0[2] <= cutoff && $0[9] > cutoff }
        #expect(!endedLastWeek.isEmpty)
        let deltaIDs = Set(delta.map { $0[0] })
        #expect(endedLastWeek.allSatisfy { deltaIDs.contains($0[0]) }, "an ending in the last week is an update in the delta")
        #expect(delta.count == all.filter { $0[2] > cutoff || $0[9] > cutoff }.count)
        #expect(try exportRows(practice.base) + exportRows(practice.delta) - endedLastWeek.count == exportRows(practice.exports))
    }

    /// The changed snapshot has the base's rows and keys, with one row in a hundred of each file
    /// changed in one column, to a different value.
    @Test func theChangedExportChangesOneRowInAHundred() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("confide-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let practice = SyntheticPractice(clients: 300, work: work)
        try practice.prepare()
        for (file, key, column) in [("referrals.csv", 0...0, 7), ("appointments.csv", 0...0, 8), ("measures.csv", 0...2, 3)] {
            let base = try lines(practice.base + "/" + file), changed = try lines(practice.changed + "/" + file)
            #expect(base.count == changed.count && base.count >= 200, "\(file)")
            for (index, (old, new)) in zip(base, changed).enumerated() {
                #expect(old[key] == new[key], "\(file) keeps its keys")
                let differing = old.indices.filter { old[$0] != new[$0] }
                #expect(differing == ((index + 1) % 100 == 0 ? [column] : []), "\(file) row \(index + 1)")
            }
        }
    }
}
