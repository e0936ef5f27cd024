/// The outcome of one finished course, as one class of the `outcomes` histogram.
public struct OutcomeClass: Sendable, Equatable, Hashable {
    /// Reliable change between the first and last paired scores.
    public enum Change: String, Sendable, CaseIterable {
        case improved, deteriorated, noChange = "no_change", unpaired
    }

    /// At caseness at the start (first scores).
    public let atCaseness: Bool
    /// The reliable-change class.
    public let change: Change
    /// At caseness at the start and below caseness on every measure at the end.
    public let recovered: Bool

    /// True when the course has valid first and last scores.
    public var paired: Bool { change != .unpaired }

    /// The class label, for example `caseness.improved.recovered`.
    public var label: String {
        var text = (atCaseness ? "caseness." : "not_caseness.") + change.rawValue
        if atCaseness, paired { text += recovered ? ".recovered" : ".not_recovered" }
        return text
    }

    /// Creates a class; `recovered` is only meaningful at caseness with paired scores.
    public init(atCaseness: Bool, change: Change, recovered: Bool) {
        self.atCaseness = atCaseness
        self.change = change
        self.recovered = atCaseness && change != .unpaired && recovered
    }

    /// Every class, in histogram order.
    public static let all: [OutcomeClass] = [true, false].flatMap { caseness in
        Change.allCases.flatMap { change -> [OutcomeClass] in
            caseness && change != .unpaired
                ? [OutcomeClass(atCaseness: true, change: change, recovered: true), OutcomeClass(atCaseness: true, change: change, recovered: false)]
                : [OutcomeClass(atCaseness: caseness, change: change, recovered: false)]
        }
    }
}
