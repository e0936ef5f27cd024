#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The noise of a published figure: a sum of independent discrete Laplace draws, each of
/// scale t/s. Its 90% half-width comes from the exact distribution (closed form for one draw,
/// convolution for up to 4 draws of small scale), else from the normal approximation with the
/// exact variance (a sum of many draws; the central limit theorem).
struct NoiseSum: Hashable {
    /// Number of draws per (t, s).
    var terms: [Scale: Int] = [:]

    struct Scale: Hashable {
        let t: UInt64
        let s: UInt64
        var a: Double { exp(-Double(s) / Double(t)) }
        /// Var of the discrete Laplace: 2a / (1 - a)².
        var variance: Double { 2 * a / ((1 - a) * (1 - a)) }
    }

    mutating func add(t: UInt64, s: UInt64, count: Int = 1) {
        guard count > 0 else { return }
        terms[Scale(t: t, s: s), default: 0] += count
    }

    mutating func add(_ other: NoiseSum) {
        for (scale, count) in other.terms { terms[scale, default: 0] += count }
    }

    var variance: Double { terms.map { $0.key.variance * Double($0.value) }.reduce(0, +) }

    /// The smallest k with P(|Z| ≤ k) ≥ 90%.
    func halfWidth90() -> Double {
        if terms.isEmpty { return 0 }
        if terms.count == 1, let (scale, count) = terms.first, count == 1 {
            return Double(laplaceHalfWidth90(t: scale.t, s: scale.s))
        }
        let sd = variance.squareRoot()
        let reach = Int((12 * sd).rounded(.up)) + 2
        let draws = terms.values.reduce(0, +)
        guard reach <= 60, draws <= 4 else { return (1.6449 * sd).rounded(.up) }
        var pmf: [Double] = [1]  // offset: index i is value i - (pmf.count / 2)
        for (scale, count) in terms {
            let a = scale.a
            let single = (-reach...reach).map { (1 - a) / (1 + a) * pow(a, Double(abs($0))) }
            for _ in 0..<count { pmf = convolve(pmf, single, reach: reach) }
        }
        let centre = pmf.count / 2
        var mass = pmf[centre]
        var k = 0
        while mass < 0.9, k < centre {
            k += 1
            mass += pmf[centre - k] + pmf[centre + k]
        }
        return Double(k)
    }

    private func convolve(_ a: [Double], _ b: [Double], reach: Int) -> [Double] {
        let half = (a.count / 2) + (b.count / 2)
        let keep = min(half, reach)
        var out = [Double](repeating: 0, count: 2 * keep + 1)
        let ca = a.count / 2, cb = b.count / 2
        for (i, x) in a.enumerated() where x > 1e-300 {
            for (j, y) in b.enumerated() {
                let v = (i - ca) + (j - cb)
                if v >= -keep, v <= keep { out[v + keep] += x * y }
            }
        }
        return out
    }
}
