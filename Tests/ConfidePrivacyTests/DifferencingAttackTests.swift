import ConfideRelease
import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy
import Foundation
import Testing

/// Week-over-week differencing in dp mode. Week 1 is the same in both worlds; in week 2 a
/// planted client attends one appointment with T2 in world A and is absent in world B. The
/// attacker subtracts week 1 from week 2.
@Suite struct DifferencingAttackTests {
    static let week1 = release(week: "2026-W10", perTherapist: ["T1": Array(0..<60), "T2": Array(60..<100)])
    static let week2Without = release(week: "2026-W11", perTherapist: ["T1": Array(0..<60), "T2": Array(60..<100)])
    static let week2With = release(week: "2026-W11", perTherapist: ["T1": Array(0..<60), "T2": Array(60..<100) + [999]])

    /// The attacker's differences (practice, T2) of `attended` over `trials` pairs of releases.
    static func differences(world week2: ExactRelease, epsilon: String, trials: Int, seed: UInt64) -> [(practice: Double, therapist: Double)] {
        let protector = Protector(settings: PrivacySettings(mode: .dp, epsilonPerWeek: Epsilon(epsilon)!, epsilonPerReferral: Epsilon(epsilon)!, minClients: 1))
        var sampler = ExactSampler(source: TestGenerator(state: seed))
        return (0..<trials).map { _ in
            let first = protector.protect(week1, sampler: &sampler)
            let second = protector.protect(week2, history: [first], sampler: &sampler)
            // A suppressed figure (a noisy count below min_clients) reads as 0 to the attacker.
            func difference(_ group: String) -> Double {
                (value(second, group, "appointments_attended").value ?? 0) - (value(first, group, "appointments_attended").value ?? 0)
            }
            return (difference("all"), difference("T2"))
        }
    }

    /// The best threshold test on the sum of both differences: its accuracy at telling the
    /// worlds apart (½ is a coin toss).
    static func bestAccuracy(_ a: [Double], _ b: [Double]) -> Double {
        let thresholds = Set(a + b).sorted()
        var best = 0.5
        for threshold in thresholds {
            let hits = a.filter { $0 >= threshold }.count + b.filter { $0 < threshold }.count
            best = max(best, Double(hits) / Double(a.count + b.count))
        }
        return best
    }

    /// The difference of the practice figure is distributed within e^ε_slot in the two worlds
    /// (per bucket of 4 consecutive values, a post-processing that keeps the bound; beyond about
    /// four standard errors), and no threshold test on both published
    /// differences beats the e^ε / (1 + e^ε) accuracy that ε-DP allows for the whole release.
    @Test func differencingTwoWeeksIsBoundedByEpsilon() {
        let trials = 2_000
        let a = Self.differences(world: Self.week2With, epsilon: "1", trials: trials, seed: 31)
        let b = Self.differences(world: Self.week2Without, epsilon: "1", trials: trials, seed: 32)
        // ε_slot of appointments/practice (26 of 29 at the default weights) for the practice difference.
        let slotBound = ProtectorTests.practiceAppointmentsEpsilon(1)
        var countsA: [Double: Int] = [:], countsB: [Double: Int] = [:]
        for d in a { countsA[(d.practice / 4).rounded(.down), default: 0] += 1 }
        for d in b { countsB[(d.practice / 4).rounded(.down), default: 0] += 1 }
        var checked = 0
        for (outcome, nA) in countsA where nA >= 150 {
            guard let nB = countsB[outcome], nB >= 150 else { continue }
            let logRatio = log(Double(nA) / Double(nB))
            let slack = 4 * (1 / Double(nA) + 1 / Double(nB)).squareRoot()
            #expect(abs(logRatio) <= slotBound + slack, "difference \(outcome): \(nA) vs \(nB)")
            checked += 1
        }
        #expect(checked >= 3)
        // The whole release charges ε = 1: accuracy at most e/(1+e) ≈ 0.731.
        let accuracy = Self.bestAccuracy(a.map { $0.practice + $0.therapist }, b.map { $0.practice + $0.therapist })
        #expect(accuracy <= exp(1.0) / (1 + exp(1.0)) + 0.03, "accuracy \(accuracy)")
    }

    /// The same attack against a release with almost no noise (ε = 1000) wins every time: the
    /// test above would catch a release that leaked the difference.
    @Test func differencingWinsWithoutNoise() {
        let a = Self.differences(world: Self.week2With, epsilon: "1000", trials: 200, seed: 41)
        let b = Self.differences(world: Self.week2Without, epsilon: "1000", trials: 200, seed: 42)
        #expect(Self.bestAccuracy(a.map { $0.practice + $0.therapist }, b.map { $0.practice + $0.therapist }) > 0.95)
    }
}
