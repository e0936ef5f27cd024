/// A privacy parameter as an exact rational p/q, read from a short decimal such as `1` or
/// `0.25`, so that noise scales are exact integers.
public struct Epsilon: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The numerator.
    public let numerator: UInt64
    /// The denominator (a power of ten).
    public let denominator: UInt64

    /// Parses a positive decimal with at most six decimal places; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 6, parts[0].count <= 6 else { return nil }
        let scale = UInt64(pow10(fraction.count))
        guard let whole = UInt64(parts[0].isEmpty ? "0" : String(parts[0])), let frac = UInt64(fraction.isEmpty ? "0" : fraction) else { return nil }
        let n = whole * scale + frac
        guard n > 0 else { return nil }
        let g = gcd(n, scale)
        numerator = n / g
        denominator = scale / g
    }

    /// ε = numerator / denominator.
    public init(numerator: UInt64, denominator: UInt64) {
        let g = gcd(numerator, denominator)
        self.numerator = numerator / g
        self.denominator = denominator / g
    }

    /// Parses `p/q` or `p` (``rational``); nil unless both are positive integers.
    public init?(rational text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let p = UInt64(parts[0]), p > 0 else { return nil }
        let q = parts.count == 2 ? UInt64(parts[1]) : 1
        guard let q, q > 0 else { return nil }
        self.init(numerator: p, denominator: q)
    }

    /// `p/q`, or `p` when q is 1: the exact value, as the manifest states it.
    public var rational: String { denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)" }

    /// The exact sum (over the least common denominator). Traps on overflow, which needs
    /// denominators far beyond any budget split (each is a power of ten times a weight sum).
    public static func + (a: Epsilon, b: Epsilon) -> Epsilon {
        let g = gcd(a.denominator, b.denominator)
        let denominator = a.denominator / g * b.denominator
        return Epsilon(numerator: a.numerator * (denominator / a.denominator) + b.numerator * (denominator / b.denominator),
                       denominator: denominator)
    }

    /// The value as a double (for display and ledger sums only, never for noise).
    public var value: Double { Double(numerator) / Double(denominator) }

    /// The decimal form.
    public var description: String {
        var text = String(format6(value))
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? max(a, 1) : gcd(b, a % b) }
func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
func format6(_ x: Double) -> String {
    let scaled = (x * 1_000_000).rounded()
    let whole = Int(scaled) / 1_000_000, frac = Int(scaled) % 1_000_000
    let f = String(frac)
    return "\(whole).\(String(repeating: "0", count: 6 - f.count))\(f)"
}
