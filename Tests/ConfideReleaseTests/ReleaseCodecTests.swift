import ConfideModel
@_spi(Protection) @_spi(ReleaseStore) import ConfideRelease
import Foundation
import Testing

/// A small dp release: one practice cell, one slot with ε = 4·26/157 (t/s = 2·157/(4·26)).
private func release(weeksCovered: [String: Int] = ["caseload": 1, "outcomes": 13]) -> ProtectedRelease {
    let epsilon = Epsilon(numerator: 4 * 26, denominator: 157)
    return ProtectedRelease(
        period: "2026-W10", periodStart: "2026-03-02", periodEnd: "2026-03-08", mode: .dp, epsilon: "4", delta: 0, minClients: 10,
        definitionVersion: "test",
        cells: [ProtectedCell(table: .caseload, groupType: .practice, group: Group.practiceName, measureID: "appointments_attended",
                              measureName: "Appointments attended", isRate: false, value: 40, intervalLow: 37, intervalHigh: 43,
                              status: .published, reason: nil)],
        parameters: [MeasureParameters(measureID: "appointments/practice", table: .caseload, exactEpsilon: epsilon,
                                       sensitivity: 2, scale: 2.0 * 157 / 104, contributionCap: 2)],
        noisyCells: [NoisyCell(histogram: "appointments", cls: "attended", groupType: .practice, group: Group.practiceName,
                               value: 40, t: 2 * 157, s: 104)],
        weeksCovered: weeksCovered)
}

@Suite struct ReleaseCodecTests {
    @Test func aReleaseRoundTripsByteForByte() throws {
        let json = try ReleaseCodec.encode(release())
        let decoded = try ReleaseCodec.decode(json)
        #expect(decoded == release())
        #expect(try ReleaseCodec.encode(decoded) == json)
        #expect(decoded.parameters[0].exactEpsilon == Epsilon(numerator: 104, denominator: 157))
    }

    /// Releases stored before `epsilonExact` was kept: the exact ε comes from the slot's noise
    /// scale t/s = Δ/ε, not from the six-place decimal.
    @Test func aStoredReleaseWithoutTheExactEpsilonDerivesItFromTheNoiseScale() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(try ReleaseCodec.encode(release()).utf8)) as? [String: Any])
        var parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters[0]["epsilonExact"] as? String == "104/157")
        parameters[0]["epsilonExact"] = nil
        object["parameters"] = parameters
        let legacy = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let decoded = try ReleaseCodec.decode(legacy)
        #expect(decoded.parameters[0].exactEpsilon == Epsilon(numerator: 104, denominator: 157))
        #expect(decoded.parameters[0].epsilon == Epsilon(numerator: 104, denominator: 157).description)
    }

    @Test func epsilonRationalTextRoundTrips() {
        for (p, q) in [(1, 1), (104, 157), (3, 10), (1_000_000, 7)] as [(UInt64, UInt64)] {
            let epsilon = Epsilon(numerator: p, denominator: q)
            #expect(Epsilon(rational: epsilon.rational) == epsilon)
        }
        #expect(Epsilon(rational: "0/3") == nil)
        #expect(Epsilon(rational: "3/0") == nil)
        #expect(Epsilon(rational: "a/3") == nil)
        #expect(Epsilon(rational: "1/2/3") == nil)
    }

    /// The data window a manifest states is a function of the period and the weeks the
    /// tables cover, never of the data.
    @Test func theDataWindowSpansTheLongestWindow() {
        #expect(release().dataWindow == (first: "2025-W50", last: "2026-W10"))
        #expect(release(weeksCovered: ["caseload": 1]).dataWindow == (first: "2026-W10", last: "2026-W10"))
        #expect(release(weeksCovered: ["caseload": 1, "outcomes": 3]).dataWindow == (first: "2026-W08", last: "2026-W10"))
    }

    @Test func cellsAreFoundByTypedGroupAndTable() {
        let r = release()
        #expect(r.cells(of: .practice).count == 1)
        #expect(r.cells(of: Group(.therapist, Group.practiceName)).isEmpty)
        #expect(r.cells(in: .caseload).count == 1 && r.cells(in: .outcomes).isEmpty)
        #expect(r.practiceCell("appointments_attended")?.value == 40)
        #expect(r.weeksCovered(.outcomes) == 13)
    }
}
