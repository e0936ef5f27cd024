import ConfideRelease
import ConfidePrivacy
import Foundation
import Testing

/// A seeded generator for tests only (SplitMix64); the pipeline uses the OS source.
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pearson's χ² over the bins with expected count ≥ 5 (the rest pooled into one bin).
func chiSquare(observed: [Int: Int], expected: (Int) -> Double, support: ClosedRange<Int>, draws: Int) -> (statistic: Double, bins: Int) {
    var statistic = 0.0, bins = 0, pooledObserved = 0, pooledExpected = 0.0
    for k in support {
        let e = expected(k) * Double(draws)
        let o = Double(observed[k] ?? 0)
        if e >= 5 { statistic += (o - e) * (o - e) / e; bins += 1 } else { pooledObserved += Int(o); pooledExpected += e }
    }
    let outside = draws - support.map { observed[$0] ?? 0 }.reduce(0, +)
    pooledObserved += outside
    pooledExpected = Double(draws) - support.map { expected($0) * Double(draws) }.filter { $0 >= 5 }.reduce(0, +)
    if pooledExpected >= 5 {
        statistic += pow(Double(pooledObserved) - pooledExpected, 2) / pooledExpected
        bins += 1
    }
    return (statistic, bins)
}

/// A generous upper quantile of χ² with `df` degrees of freedom (Wilson–Hilferty, p ≈ 0.001).
func chiSquareCritical(df: Int) -> Double {
    let z = 3.09, d = Double(df)
    return d * pow(1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot(), 3)
}

@Suite struct SamplerTests {
    @Test(arguments: [(UInt64(3), UInt64(2)), (1, 1), (10, 1), (4, 5)])
    func discreteLaplaceMatchesItsExactDistribution(t: UInt64, s: UInt64) {
        var sampler = ExactSampler(source: TestGenerator(state: t * 1000 + s))
        let draws = 200_000
        var counts: [Int: Int] = [:]
        for _ in 0..<draws { counts[Int(sampler.discreteLaplace(t: t, s: s)), default: 0] += 1 }
        let a = exp(-Double(s) / Double(t))
        let pmf = { (z: Int) in (1 - a) / (1 + a) * pow(a, Double(abs(z))) }
        let (statistic, bins) = chiSquare(observed: counts, expected: pmf, support: -60...60, draws: draws)
        #expect(bins > 2)
        #expect(statistic < chiSquareCritical(df: bins - 1), "χ² \(statistic) over \(bins) bins")
    }

    @Test func discreteLaplaceIsSymmetricWithTheRightSpread() {
        var sampler = ExactSampler(source: TestGenerator(state: 99))
        let draws = 100_000
        var sum = 0.0, absolute = 0.0
        for _ in 0..<draws { let z = Double(sampler.discreteLaplace(t: 312, s: 1)); sum += z; absolute += abs(z) }
        let a = exp(-1.0 / 312)
        let meanAbsolute = 2 * a / ((1 - a) * (1 + a))  // E|Z| of the discrete Laplace
        #expect(abs(sum / Double(draws)) < 5)
        #expect(abs(absolute / Double(draws) - meanAbsolute) / meanAbsolute < 0.02)
    }

    @Test(arguments: [(UInt64(9), UInt64(2)), (1, 1), (50, 1)])
    func discreteGaussianMatchesItsExactDistribution(n: UInt64, d: UInt64) {
        var sampler = ExactSampler(source: TestGenerator(state: n * 31 + d))
        let draws = 200_000
        var counts: [Int: Int] = [:]
        for _ in 0..<draws { counts[Int(sampler.discreteGaussian(varianceNumerator: n, denominator: d)), default: 0] += 1 }
        let variance = Double(n) / Double(d)
        let weights = (-80...80).map { exp(-Double($0 * $0) / (2 * variance)) }
        let total = weights.reduce(0, +)
        let pmf = { (z: Int) in abs(z) <= 80 ? weights[z + 80] / total : 0 }
        let (statistic, bins) = chiSquare(observed: counts, expected: pmf, support: -80...80, draws: draws)
        #expect(statistic < chiSquareCritical(df: bins - 1), "χ² \(statistic) over \(bins) bins")
    }

    @Test func uniformAndBernoulliAreExact() {
        var sampler = ExactSampler(source: TestGenerator(state: 5))
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[Int(sampler.uniform(below: 7))] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        var heads = 0
        for _ in 0..<100_000 where sampler.bernoulliExp(1, over: 1) { heads += 1 }
        #expect(abs(Double(heads) / 100_000 - exp(-1)) < 0.006)
    }

    @Test func ninetyPercentHalfWidthIsTheExactQuantile() {
        for (t, s) in [(UInt64(4), UInt64(1)), (12, 5), (1, 3)] {
            let k = laplaceHalfWidth90(t: t, s: s)
            let a = exp(-Double(s) / Double(t))
            let tail = { (k: Int) in 2 * pow(a, Double(k + 1)) / (1 + a) }  // P(|Z| > k)
            #expect(tail(k) <= 0.1)
            if k > 0 { #expect(tail(k - 1) > 0.1) }
        }
    }

    @Test func epsilonParsesShortDecimalsExactly() {
        #expect(Epsilon("0.25") == Epsilon(numerator: 1, denominator: 4))
        #expect(Epsilon("4") == Epsilon(numerator: 4, denominator: 1))
        #expect(Epsilon("1.5")?.description == "1.5")
        for bad in ["0", "-1", "abc", "1e3", "0.0000001", ""] { #expect(Epsilon(bad) == nil, "\(bad)") }
    }
}
