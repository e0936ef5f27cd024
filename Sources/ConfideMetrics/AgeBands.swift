/// Age bands at referral: lower bounds, in order; the last band is open (`66+`).
public struct AgeBands: Sendable, Equatable {
    /// The lower bound of each band.
    public let lowerBounds: [Int]

    /// The default bands 16-17, 18-25, 26-35, 36-45, 46-55, 56-65, 66+.
    public init(lowerBounds: [Int] = [16, 18, 26, 36, 46, 56, 66]) {
        self.lowerBounds = lowerBounds.sorted()
    }

    /// The band label of `age` (`under_16` below the first band, `unknown` when absent).
    public func label(_ age: Int?) -> String {
        guard let age else { return "unknown" }
        guard let first = lowerBounds.first, age >= first else { return "under_\(lowerBounds.first ?? 0)" }
        for (i, low) in lowerBounds.enumerated().reversed() where age >= low {
            if i == lowerBounds.count - 1 { return "\(low)+" }
            return "\(low)-\(lowerBounds[i + 1] - 1)"
        }
        return "unknown"
    }
}
