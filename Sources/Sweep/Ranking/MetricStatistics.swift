import Foundation

/// Mean, sample standard deviation and count of a metric over trials.
public struct MetricStatistics: Codable, Sendable, Hashable {
    public var mean: Double
    /// The sample standard deviation (divisor n − 1); `nil` for a single value, which has no spread
    /// (tables show `23.41 (1)`, the CSV an empty `std`, the JSON null).
    public var standardDeviation: Double?
    public var count: Int

    /// Statistics as given; a standard deviation given with fewer than two values is dropped (rankings
    /// written before it was optional stored 0 for one seed).
    public init(mean: Double, standardDeviation: Double?, count: Int) {
        self.mean = mean
        self.standardDeviation = count > 1 ? standardDeviation : nil
        self.count = count
    }

    /// The statistics of `values`, which must not be empty.
    public init(values: [Double]) {
        precondition(!values.isEmpty, "statistics of no values")
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.init(
            mean: mean, standardDeviation: values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : nil,
            count: values.count)
    }

    private enum CodingKeys: String, CodingKey {
        case mean, standardDeviation, count
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            mean: try container.decode(Double.self, forKey: .mean),
            standardDeviation: try container.decodeIfPresent(Double.self, forKey: .standardDeviation),
            count: try container.decode(Int.self, forKey: .count))
    }

    /// Writes `standardDeviation` as null, not leaving the key out, when there is none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(standardDeviation, forKey: .standardDeviation)
        try container.encode(count, forKey: .count)
    }

    /// The standard error of the mean, s / √n; `nil` for a single value.
    public var standardError: Double? { standardDeviation.map { $0 / Double(count).squareRoot() } }

    /// The 95 % confidence interval of the mean, mean ± t₀.₉₇₅,ₙ₋₁ · s / √n; `nil` below two values.
    public var confidenceInterval: ClosedRange<Double>? { confidenceInterval(level: 0.95) }

    /// The two-sided Student t-interval of the mean at `level` (e.g. 0.95); `nil` below two values or when
    /// the mean or the standard deviation is not finite.
    public func confidenceInterval(level: Double) -> ClosedRange<Double>? {
        precondition(level > 0 && level < 1, "a confidence level lies strictly between 0 and 1")
        guard count >= 2, mean.isFinite, let deviation = standardDeviation, let standardError, deviation.isFinite,
            deviation >= 0
        else { return nil }
        let halfWidth = StudentTDistribution(degreesOfFreedom: Double(count - 1)).quantile((1 + level) / 2) * standardError
        return (mean - halfWidth)...(mean + halfWidth)
    }

    /// The 95 % confidence interval with the metric's precision, e.g. `[23.20, 23.62]`; `—` below two values.
    public func formattedConfidenceInterval(_ metric: RankingMetric) -> String {
        guard let interval = confidenceInterval else { return "—" }
        return "[\(metric.formatted(interval.lowerBound)), \(metric.formatted(interval.upperBound))]"
    }

    /// `mean ± std (n)` with the metric's precision, e.g. `23.41 ± 0.12 (3)`; `23.41 (1)` for a single value.
    public func formatted(_ metric: RankingMetric) -> String {
        guard let standardDeviation else { return "\(metric.formatted(mean)) (\(count))" }
        return "\(metric.formatted(mean)) ± \(metric.formatted(standardDeviation)) (\(count))"
    }
}
