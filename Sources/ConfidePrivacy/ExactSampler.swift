/// Exact samplers for differential privacy (Canonne, Kamath and Steinke 2020), in checked
/// integer arithmetic only: no floating point touches the noise, so its output has no holes
/// that reveal the true value.
///
/// The generator is injected: the pipeline passes `SystemRandomNumberGenerator` (the operating
/// system's random source); tests pass a seeded one.
public struct ExactSampler<Source: RandomNumberGenerator> {
    private var source: Source

    /// Creates a sampler drawing random bits from `source`.
    public init(source: Source) { self.source = source }

    /// A uniform integer in `0..<m` (`m` ≥ 1), by rejection on the bit length of `m - 1`.
    public mutating func uniform(below m: UInt64) -> UInt64 {
        precondition(m >= 1)
        if m == 1 { return 0 }
        let bits = 64 - (m - 1).leadingZeroBitCount
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        while true {
            let r = source.next() & mask
            if r < m { return r }
        }
    }

    /// True with probability `n / d` (0 ≤ n ≤ d, d ≥ 1).
    public mutating func bernoulli(_ n: UInt64, over d: UInt64) -> Bool {
        uniform(below: d) < n
    }

    /// True with probability exp(-n/d) for 0 ≤ n/d ≤ 1 (CKS20 Algorithm 1).
    mutating func bernoulliExpUnit(_ n: UInt64, over d: UInt64) -> Bool {
        var k: UInt64 = 1
        while true {
            let (denominator, overflow) = d.multipliedReportingOverflow(by: k)
            precondition(!overflow, "sampler denominator overflow")
            if !bernoulli(n, over: denominator) { break }
            k += 1
        }
        return k % 2 == 1
    }

    /// True with probability exp(-n/d) for any n/d ≥ 0.
    public mutating func bernoulliExp(_ n: UInt64, over d: UInt64) -> Bool {
        var n = n
        while n > d {
            if !bernoulliExpUnit(1, over: 1) { return false }
            n -= d
        }
        return bernoulliExpUnit(n, over: d)
    }

    /// A draw from the discrete Laplace distribution with scale t/s:
    /// P[Z = z] ∝ exp(-|z|·s/t) (CKS20 Algorithm 2). `t`, `s` ≥ 1.
    public mutating func discreteLaplace(t: UInt64, s: UInt64) -> Int64 {
        precondition(t >= 1 && s >= 1)
        while true {
            let u = uniform(below: t)
            if !bernoulliExp(u, over: t) { continue }
            var v: UInt64 = 0
            while bernoulliExpUnit(1, over: 1) { v += 1 }
            let (tv, overflow1) = t.multipliedReportingOverflow(by: v)
            let (x, overflow2) = u.addingReportingOverflow(tv)
            precondition(!overflow1 && !overflow2, "sampler overflow")
            let y = x / s
            let negative = bernoulli(1, over: 2)
            if negative && y == 0 { continue }
            return negative ? -Int64(y) : Int64(y)
        }
    }

    /// A draw from the discrete Gaussian N_Z(0, σ²) with σ² = n/d (CKS20 Algorithm 3).
    public mutating func discreteGaussian(varianceNumerator n: UInt64, denominator d: UInt64) -> Int64 {
        precondition(n >= 1 && d >= 1)
        let t = isqrt(n / d) + 1
        while true {
            let y = discreteLaplace(t: t, s: 1)
            // γ = (|y| - σ²/t)² / (2σ²) = (|y|·t·d - n)² / (2·n·d·t²)
            let magnitude = UInt64(y.magnitude)
            let a = Int64(magnitude * t * d) - Int64(n)
            let numerator = UInt64(a.magnitude) * UInt64(a.magnitude)
            let denominator = 2 * n * d * t * t
            if bernoulliExp(numerator, over: denominator) { return y }
        }
    }
}

/// ⌊√x⌋ exactly, by Newton's method on integers.
func isqrt(_ x: UInt64) -> UInt64 {
    if x < 2 { return x }
    var r = UInt64(Double(x).squareRoot())
    while r * r > x { r -= 1 }
    while (r + 1) * (r + 1) <= x { r += 1 }
    return r
}
