import ConfideMetrics
import ConfideModel
@_spi(Protection) import ConfideRelease
@testable import ConfidePrivacy
import Testing

/// Property tests of the consistent window over random noisy tables: what every dp figure
/// reads is a non-negative integer, a histogram's practice classes add up to the total it shares
/// with `flows` (or with the other outcome histograms), and each class's groups add up to the
/// practice's count in every breakdown.
@Suite struct ConsistentWindowTests {
    @Test func randomNoisyTablesComeOutConsistent() {
        var random = TestGenerator(state: 77)
        let histograms = ["endings", "flows", "outcomes", "waits", "appointments"].map { Catalogue.histogram($0)! }
        for round in 0..<200 {
            var current: [ClassCell: NoisyCell] = [:]
            let therapists = (0..<Int.random(in: 1...5, using: &random)).map { "T\($0)" } + [Group.noContactName]
            let scale = UInt64.random(in: 1...40, using: &random)
            func draw(_ histogram: String, _ cls: String, _ type: GroupType, _ group: String) {
                let value = Int64.random(in: -20...60, using: &random)
                current[ClassCell(histogram: histogram, cls: cls, groupType: type, group: group)] =
                    NoisyCell(histogram: histogram, cls: cls, groupType: type, group: group, value: value, t: scale, s: 4)
            }
            for histogram in histograms {
                for cls in histogram.classes {
                    draw(histogram.id, cls, .practice, "all")
                    guard histogram.id != "flows" else { continue }
                    for therapist in therapists { draw(histogram.id, cls, .therapist, therapist) }
                    if histogram.table == .outcomes { for band in ["18-25", "26-35", "unknown"] { draw(histogram.id, cls, .ageBand, band) } }
                }
            }
            let window = ConsistentWindow(current: current, earlier: [], histograms: histograms)
            #expect(window.counts.count == current.count, "round \(round): every drawn cell has a count")
            #expect(window.counts.values.allSatisfy { $0 >= 0 }, "round \(round)")
            func count(_ h: String, _ cls: String, _ type: GroupType = .practice, _ group: String = "all") -> Int {
                window.counts[ClassCell(histogram: h, cls: cls, groupType: type, group: group)] ?? -1_000_000
            }
            func total(_ h: String) -> Int { Catalogue.histogram(h)!.classes.map { count(h, $0) }.reduce(0, +) }
            #expect(total("endings") == count("flows", "ended"), "round \(round): endings by reason add up to the ended total")
            #expect(total("outcomes") == total("waits"), "round \(round): the outcome histograms share their total")
            for histogram in histograms where histogram.id != "flows" {
                for cls in histogram.classes {
                    #expect(therapists.map { count(histogram.id, cls, .therapist, $0) }.reduce(0, +) == count(histogram.id, cls),
                            "round \(round): \(histogram.id)/\(cls) by therapist")
                    if histogram.table == .outcomes {
                        #expect(["18-25", "26-35", "unknown"].map { count(histogram.id, cls, .ageBand, $0) }.reduce(0, +) == count(histogram.id, cls))
                    }
                }
            }
        }
    }

    /// Consistency only moves what noise put out of line: consistent noisy cells stay as drawn.
    @Test func consistentNoisyCellsAreKept() {
        let endings = Catalogue.histogram("endings")!, flows = Catalogue.histogram("flows")!
        var current: [ClassCell: NoisyCell] = [:]
        func put(_ h: String, _ cls: String, _ type: GroupType, _ group: String, _ value: Int64) {
            current[ClassCell(histogram: h, cls: cls, groupType: type, group: group)] =
                NoisyCell(histogram: h, cls: cls, groupType: type, group: group, value: value, t: 10, s: 4)
        }
        var total: Int64 = 0
        for (i, cls) in endings.classes.enumerated() {
            put("endings", cls, .practice, "all", Int64(i + 1))
            put("endings", cls, .therapist, "T1", Int64(i))
            put("endings", cls, .therapist, Group.noContactName, 1)
            total += Int64(i + 1)
        }
        for cls in flows.classes { put("flows", cls, .practice, "all", cls == "ended" ? total : 7) }
        let window = ConsistentWindow(current: current, earlier: [], histograms: [endings, flows])
        for (key, cell) in current { #expect(window.counts[key] == Int(cell.value), "\(key)") }
    }
}
