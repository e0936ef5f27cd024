import ConfideRelease
import ConfideMetrics
import ConfideModel
@testable import ConfidePrivacy

/// An exact fraction (overflow traps, so a wrong answer is impossible; a crash is a failure).
struct Fraction: Equatable {
    var numerator: Int
    var denominator: Int

    init(_ numerator: Int, _ denominator: Int = 1) {
        let g = Swift.max(1, greatestCommonDivisor(abs(numerator), abs(denominator)))
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / g
        self.denominator = sign * denominator / g
    }

    var isZero: Bool { numerator == 0 }
    static func - (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    static func * (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.numerator, a.denominator * b.denominator) }
    static func / (a: Fraction, b: Fraction) -> Fraction { Fraction(a.numerator * b.denominator, a.denominator * b.numerator) }
}

func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int { b == 0 ? a : greatestCommonDivisor(b, a % b) }

/// The attacker of a disclosure-control release: knows every margin (practice = sum of each
/// breakdown's groups, per class) and every published figure's class sums exactly, and solves
/// the linear system by exact Gaussian elimination. Written independently of the production
/// code (exact fractions, no tolerance).
struct LinearAttacker {
    let cells: [ClassCell]
    private(set) var basis: [(row: [Fraction], pivot: Int)] = []

    /// The class sums a figure reveals (count: its sum; rate: numerator and denominator;
    /// mean: sum and count).
    static func parts(_ measure: Measure) -> [ClassSum] {
        switch measure.formula {
        case .count(let histogram, let classes): [ClassSum(histogram, classes)]
        case .rate(let n, let d): [n, d]
        case .mean(let s, let c): [s, c]
        case .median(let ordered): [ordered]
        }
    }

    /// Builds the system from `table`'s public cell list and the published cells of `release`;
    /// `alsoKnown` adds cells the attacker is handed on top (to show the attack can succeed).
    init(table: ExactTable, release: ProtectedRelease, alsoKnown: Set<String> = []) {
        cells = table.cells
        for (i, cell) in cells.enumerated() where cell.groupType == .practice {
            for groupType in Set(cells.map(\.groupType)) where groupType != .practice {
                var row = [Fraction](repeating: Fraction(0), count: cells.count)
                row[i] = Fraction(-1)
                for (j, other) in cells.enumerated() where other.groupType == groupType && other.histogram == cell.histogram && other.cls == cell.cls {
                    row[j] = Fraction(1)
                }
                insert(row)
            }
        }
        for published in release.cells(in: table.name) where published.status == .published || alsoKnown.contains(Self.key(published)) {
            let measure = table.measures.first { $0.id == published.measureID }!
            for part in Self.parts(measure) { insert(row(part, published.groupType, published.group)) }
        }
    }

    static func key(_ cell: ProtectedCell) -> String { cell.measureID + "/" + cell.groupType.rawValue + "/" + cell.group }

    func row(_ sum: ClassSum, _ groupType: GroupType, _ group: String) -> [Fraction] {
        cells.map { $0.histogram == sum.histogram && $0.groupType == groupType && $0.group == group && sum.classes.contains($0.cls) ? Fraction(1) : Fraction(0) }
    }

    func residual(_ row: [Fraction]) -> [Fraction] {
        var v = row
        for (b, pivot) in basis where !v[pivot].isZero {
            let factor = v[pivot] / b[pivot]
            for i in v.indices where !b[i].isZero { v[i] = v[i] - factor * b[i] }
        }
        return v
    }

    mutating func insert(_ row: [Fraction]) {
        let v = residual(row)
        if let pivot = v.firstIndex(where: { !$0.isZero }) { basis.append((v, pivot)) }
    }

    /// True when the attacker can compute the value of `sum` for the group exactly.
    func determines(_ sum: ClassSum, _ groupType: GroupType, _ group: String) -> Bool {
        residual(row(sum, groupType, group)).allSatisfy(\.isZero)
    }

    /// True when the attacker can compute the suppressed figure `cell` exactly (every part).
    func recovers(_ cell: ProtectedCell, in table: ExactTable) -> Bool {
        let measure = table.measures.first { $0.id == cell.measureID }!
        return Self.parts(measure).allSatisfy { determines($0, cell.groupType, cell.group) }
    }
}
