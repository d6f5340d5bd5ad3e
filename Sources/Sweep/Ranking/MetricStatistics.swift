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

    /// `mean ± std (n)` with the metric's precision, e.g. `23.41 ± 0.12 (3)`.
    public func formatted(_ metric: RankingMetric) -> String {
        "\(metric.formatted(mean)) ± \(metric.formatted(standardDeviation)) (\(count))"
    }
}
