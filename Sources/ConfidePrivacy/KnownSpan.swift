/// What an attacker can compute exactly from a release: the linear span of the rows (linear
/// combinations of a table's class cells) whose values are published or known to be zero.
///
/// Kept in echelon form by Gaussian elimination with partial pivoting, as SSBtools'
/// `GaussSuppression` does, and with a tolerance for floating point like its `tolGauss`. Rows
/// have small integer coefficients, so the tolerance only absorbs rounding.
struct KnownSpan {
    /// The number of unknowns (class cells).
    let width: Int
    /// Basis rows; row i is zero at the pivots of rows 0..<i.
    private(set) var rows: [[Double]] = []
    /// The pivot column of each basis row.
    private(set) var pivots: [Int] = []

    /// Entries smaller than this are zero.
    static let tolerance = 1e-9

    /// An empty span over `width` unknowns.
    init(width: Int) { self.width = width }

    /// The part of `row` outside the span (all zeros when the span determines it).
    func residual(_ row: [Double]) -> [Double] {
        var v = row
        for (basis, pivot) in zip(rows, pivots) {
            let factor = v[pivot] / basis[pivot]
            if abs(factor) > Self.tolerance { subtract(factor, basis, from: &v) }
            v[pivot] = 0
        }
        return v
    }

    /// True when the value of `row` follows from the span.
    func determines(_ row: [Double]) -> Bool { Self.isZero(residual(row)) }

    /// Adds `row` to the span; returns its residual (zero when it added nothing).
    @discardableResult
    mutating func insert(_ row: [Double]) -> [Double] {
        let v = residual(row)
        guard let pivot = Self.pivot(of: v) else { return v }
        rows.append(v)
        pivots.append(pivot)
        return v
    }

    /// The column of the largest entry, or nil for a zero row.
    static func pivot(of v: [Double]) -> Int? {
        var best: Int?
        var largest = tolerance
        for (i, x) in v.enumerated() where abs(x) > largest { largest = abs(x); best = i }
        return best
    }

    static func isZero(_ v: [Double]) -> Bool { pivot(of: v) == nil }
}

/// v -= factor · basis, over the whole row (unchecked buffer access: this is the inner loop).
func subtract(_ factor: Double, _ basis: [Double], from v: inout [Double]) {
    basis.withUnsafeBufferPointer { b in
        v.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count where b[i] != 0 { out[i] -= factor * b[i] }
        }
    }
}
