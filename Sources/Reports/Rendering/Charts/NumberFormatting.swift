import Foundation

/// Short decimal text for numbers in charts and tables.
public enum NumberFormatting {
    /// `value` with `digits` significant digits but never rounding away integer digits (`23.1`,
    /// `0.0123`, `1235`); exponent notation below 10⁻⁴ and from 10⁷; `NaN`, `∞` and `−∞` as such.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        precondition(digits > 0, "need at least one significant digit")
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude < 1e-4 || magnitude >= 1e7 { return String(format: "%.\(digits - 1)e", value) }
        let exponent = Int(floor(log10(magnitude)))
        return fixed(value, fractionDigits: max(0, digits - 1 - exponent))
    }

    /// `value` with exactly `fractionDigits` digits after the point; `-0` shows as `0`.
    public static func fixed(_ value: Double, fractionDigits: Int) -> String {
        precondition(fractionDigits >= 0, "negative fraction digits")
        guard value.isFinite else { return significant(value) }
        let text = String(format: "%.\(fractionDigits)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }
}
