#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The privacy model a transformation must meet: k-anonymity, optionally l-diversity of a
/// sensitive column, with records of failing classes suppressed up to a limit.
public struct PrivacyModel: Sendable, Equatable {
    /// The smallest class size kept.
    public let k: Int
    /// l-diversity of a sensitive column, or nil.
    public let diversity: Diversity?
    /// The largest share of records that may be suppressed, 0 to 1.
    public let maxSuppression: Double

    /// Creates a model.
    public init(k: Int, diversity: Diversity? = nil, maxSuppression: Double = 0) {
        self.k = k
        self.diversity = diversity
        self.maxSuppression = maxSuppression
    }

    /// The most records that may be suppressed out of `records`: `floor(limit × records)` (with
    /// a 1e-9 allowance, so that 0.29 × 100 is 29, not 28).
    public func suppressionAllowance(records: Int) -> Int {
        min(records, Int((maxSuppression * Double(records) + 1e-9).rounded(.down)))
    }
}

/// l-diversity of one sensitive column.
public struct Diversity: Sendable, Equatable {
    /// The kinds ARX calls `DistinctLDiversity` and `EntropyLDiversity` (Shannon).
    public enum Kind: String, Sendable, CaseIterable {
        /// At least l distinct sensitive values in each class.
        case distinct
        /// The Shannon entropy of each class's sensitive values is at least ln l.
        case entropy
    }

    /// The sensitive column.
    public let column: String
    /// l.
    public let l: Int
    /// distinct or entropy.
    public let kind: Kind

    /// Creates the requirement.
    public init(column: String, l: Int, kind: Kind) {
        self.column = column
        self.l = l
        self.kind = kind
    }

    /// The slack allowed when comparing a class's entropy with ln l: a class whose sensitive
    /// values are exactly uniform over l values must pass despite rounding.
    public static let entropyTolerance = 1e-9

    /// Whether a class of `size` records with `distinct` sensitive values and
    /// `sumCountLogCount` = Σ c·ln c over its sensitive values' counts passes.
    @inline(__always) func passes(size: Int, distinct: Int, sumCountLogCount: Double) -> Bool {
        switch kind {
        case .distinct: return distinct >= l
        case .entropy:
            guard distinct >= l else { return false }
            let entropy = log(Double(size)) - sumCountLogCount / Double(size)
            return entropy >= log(Double(l)) - Self.entropyTolerance
        }
    }
}
