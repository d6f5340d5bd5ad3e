/// Welch's two-sample t-test (unequal variances), two-sided: do two samples have different means?
///
/// t = (x̄₁ − x̄₂) / √(s₁²/n₁ + s₂²/n₂), with the Welch–Satterthwaite degrees of freedom
/// ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)); as `scipy.stats.ttest_ind(equal_var=False)`.
public struct WelchTest: Sendable, Hashable {
    /// t, positive when the first sample's mean is the larger.
    public var statistic: Double
    public var degreesOfFreedom: Double
    /// P(|T| ≥ |t|) under equal means.
    public var pValue: Double

    /// The test of `first` against `second`; `nil` when either has fewer than two values, a value is not
    /// finite, or both have zero variance (t is undefined).
    public init?(_ first: [Double], _ second: [Double]) {
        guard first.count >= 2, second.count >= 2,
            first.allSatisfy(\.isFinite), second.allSatisfy(\.isFinite)
        else { return nil }
        self.init(MetricStatistics(values: first), MetricStatistics(values: second))
    }

    /// The test from each sample's mean, sample standard deviation and count; `nil` as for samples.
    public init?(_ first: MetricStatistics, _ second: MetricStatistics) {
        guard first.count >= 2, second.count >= 2, let firstDeviation = first.standardDeviation,
            let secondDeviation = second.standardDeviation
        else { return nil }
        let firstSquaredError = firstDeviation * firstDeviation / Double(first.count)
        let secondSquaredError = secondDeviation * secondDeviation / Double(second.count)
        let squaredError = firstSquaredError + secondSquaredError
        guard squaredError > 0, squaredError.isFinite, first.mean.isFinite, second.mean.isFinite else { return nil }
        let degreesOfFreedom =
            squaredError * squaredError
            / (firstSquaredError * firstSquaredError / Double(first.count - 1)
                + secondSquaredError * secondSquaredError / Double(second.count - 1))
        // Variances so small that their squares underflow leave ν undefined.
        guard degreesOfFreedom > 0, degreesOfFreedom.isFinite else { return nil }
        self.degreesOfFreedom = degreesOfFreedom
        statistic = (first.mean - second.mean) / squaredError.squareRoot()
        pValue = StudentTDistribution(degreesOfFreedom: degreesOfFreedom).twoSidedProbability(statistic)
    }
}
