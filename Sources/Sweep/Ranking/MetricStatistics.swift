import Foundation

/// Mean, sample standard deviation and count of a metric over trials.
public struct MetricStatistics: Codable, Sendable, Hashable {
    public var mean: Double
    /// The sample standard deviation (divisor n − 1); 0 for a single value.
    public var standardDeviation: Double
    public var count: Int

    public init(mean: Double, standardDeviation: Double, count: Int) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.count = count
    }

    /// The statistics of `values`, which must not be empty.
    public init(values: [Double]) {
        precondition(!values.isEmpty, "statistics of no values")
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.init(
            mean: mean, standardDeviation: values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0,
            count: values.count)
    }

    /// The standard error of the mean, s / √n.
    public var standardError: Double { standardDeviation / Double(count).squareRoot() }

    /// The 95 % confidence interval of the mean, mean ± t₀.₉₇₅,ₙ₋₁ · s / √n; `nil` below two values.
    public var confidenceInterval: ClosedRange<Double>? { confidenceInterval(level: 0.95) }

    /// The two-sided Student t-interval of the mean at `level` (e.g. 0.95); `nil` below two values or when
    /// the mean or the standard deviation is not finite.
    public func confidenceInterval(level: Double) -> ClosedRange<Double>? {
        precondition(level > 0 && level < 1, "a confidence level lies strictly between 0 and 1")
        guard count >= 2, mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else { return nil }
        let halfWidth =
            StudentTDistribution(degreesOfFreedom: Double(count - 1)).quantile((1 + level) / 2) * standardError
        return (mean - halfWidth)...(mean + halfWidth)
    }

    /// The 95 % confidence interval with the metric's precision, e.g. `[23.20, 23.62]`; `—` below two values.
    public func formattedConfidenceInterval(_ metric: RankingMetric) -> String {
        guard let interval = confidenceInterval else { return "—" }
        return "[\(metric.formatted(interval.lowerBound)), \(metric.formatted(interval.upperBound))]"
    }

    /// `mean ± std (n)` with the metric's precision, e.g. `23.41 ± 0.12 (3)`.
    public func formatted(_ metric: RankingMetric) -> String {
        "\(metric.formatted(mean)) ± \(metric.formatted(standardDeviation)) (\(count))"
    }
}
