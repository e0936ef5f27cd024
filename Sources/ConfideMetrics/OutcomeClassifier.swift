import ConfideModel

/// Classifies a finished course by caseness, reliable change and recovery, as the national
/// definitions compute them (`docs/metrics.md` §Outcomes).
struct OutcomeClassifier {
    let settings: MetricSettings

    /// The instruments used, with caseness cut-off and reliable-change threshold.
    var instruments: [(Instrument, caseness: Int, reliable: Int)] {
        switch settings.instruments {
        case .phq9Gad7:
            return [(.phq9, settings.phq9Caseness, settings.phq9ReliableChange), (.gad7, settings.gad7Caseness, settings.gad7ReliableChange)]
        case .core10:
            return [(.core10, settings.core10Caseness, settings.core10ReliableChange)]
        }
    }

    /// The outcome class of `facts`, using scores on or before the referral's end.
    ///
    /// Conventions: an instrument is used when the course has any score on it; the course is
    /// paired when every used instrument has scores on at least two dates (first = earliest,
    /// last = latest on or before the end); at caseness when any used instrument's first score
    /// is at or above its cut-off; recovered when at caseness, paired and every last score is
    /// below its cut-off; improvement and deterioration as in the national combination rule
    /// (improvement on one measure and deterioration on none, and the reverse).
    func classify(_ facts: ReferralFacts) -> OutcomeClass {
        let end = facts.end ?? Day(ordinal: .max)
        var used: [(first: Int, last: Int, paired: Bool, caseness: Int, reliable: Int)] = []
        for (instrument, caseness, reliable) in instruments {
            let scores = (facts.scores[instrument] ?? []).filter { $0.day <= end }
            guard let first = scores.first, let last = scores.last else { continue }
            used.append((first.score, last.score, first.day != last.day, caseness, reliable))
        }
        guard !used.isEmpty else { return OutcomeClass(atCaseness: false, change: .unpaired, recovered: false) }
        let atCaseness = used.contains { $0.first >= $0.caseness }
        guard used.allSatisfy(\.paired) else { return OutcomeClass(atCaseness: atCaseness, change: .unpaired, recovered: false) }
        let improved = used.contains { $0.first - $0.last >= $0.reliable }
        let deteriorated = used.contains { $0.last - $0.first >= $0.reliable }
        let change: OutcomeClass.Change = improved && !deteriorated ? .improved : deteriorated && !improved ? .deteriorated : .noChange
        let recovered = atCaseness && used.allSatisfy { $0.last < $0.caseness }
        return OutcomeClass(atCaseness: atCaseness, change: change, recovered: recovered)
    }
}
