import Foundation

/// Sizes as people read them.
public enum MemorySize {
    /// The per-worker memory a configuration may need to train, unless a command is told otherwise
    /// (`--memory-budget`): 8 GiB.
    public static let defaultWorkerBudget: Double = 8 * bytesPerGiB

    public static let bytesPerGiB: Double = 1024 * 1024 * 1024

    /// `512 KiB`, `3.2 GiB`, `2.9 PiB`.
    public static func text(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) bytes" }
        if value >= 1e6 { return "\(String(format: "%.2e", value)) \(units[unit])" }
        return value >= 100 || value == value.rounded()
            ? "\(Int(value.rounded())) \(units[unit])" : "\(String(format: "%.1f", value)) \(units[unit])"
    }

    /// `1.1 M`, `3.1e+12`.
    public static func count(_ value: Double) -> String {
        if value >= 1e15 { return String(format: "%.1e", value) }
        for (threshold, suffix) in [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")] where value >= threshold {
            return String(format: "%.1f", value / threshold) + suffix
        }
        return String(Int(value))
    }
}
