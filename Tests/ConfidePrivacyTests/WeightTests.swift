import ConfideRelease
import ConfideMetrics
@testable import ConfidePrivacy
import Testing

@Suite struct WeightTests {
    /// A configured weight replaces the default of its slot; the slots still share ε exactly.
    @Test func configuredWeightsReplaceTheDefaults() {
        let exact = release(perTherapist: ["T1": Array(0..<10)])
        var sampler = ExactSampler(source: TestGenerator(state: 7))
        let settings = PrivacySettings(epsilonPerWeek: Epsilon("2")!, epsilonPerReferral: Epsilon("2")!, weights: ["appointments/therapist": 12])
        let protected = Protector(settings: settings).protect(exact, sampler: &sampler)
        let spent = Dictionary(uniqueKeysWithValues: protected.parameters.map { ($0.measureID, Epsilon($0.epsilon)!.value) })
        // appointments/practice keeps its default w; appointments/therapist now weighs 12: 2·w/(w+12) and 2·12/(w+12).
        let w = Double(PrivacySettings.defaultWeights["appointments/practice"]!)
        #expect(w != 12)
        #expect(abs(spent["appointments/practice"]! - 2 * w / (w + 12)) < 1e-6)   // six decimal places
        #expect(abs(spent["appointments/therapist"]! - 24 / (w + 12)) < 1e-6)
        #expect(abs(spent.values.reduce(0, +) - 2) < 1e-9)
    }

    /// Every default weight names a real slot.
    @Test func defaultWeightsNameKnownSlots() {
        #expect(Set(PrivacySettings.defaultWeights.keys).isSubset(of: PrivacySettings.slotIDs))
        #expect(PrivacySettings.slotIDs.contains("outcomes/ethnicity"))
    }
}
