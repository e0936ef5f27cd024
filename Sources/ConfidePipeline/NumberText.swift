import Foundation

/// A decimal for people (ε, budgets): at most three places, no trailing zeros.
public func decimalText(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
