/// How a configuration's per-seed values compare with the best configuration's: Welch's two-sided t-test
/// at the 5 % level. Says whether more seeds would be needed to tell the two apart.
public struct ComparisonWithBest: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Verdict: String, Codable, Sendable, Hashable {
        /// The configuration is the best (rank 1).
        case best
        /// p ≥ 0.05: the seeds do not separate it from the best.
        case indistinguishable
        /// p < 0.05: its mean is worse than the best's beyond seed noise.
        case worse
        /// One side has fewer than two seeds, or a value that is not a number.
        case unknown
    }

    /// The level below which a p-value separates two configurations.
    public static let significanceLevel = 0.05

    /// The best configuration's own comparison.
    public static let best = ComparisonWithBest(verdict: .best, pValue: nil)

    public var verdict: Verdict
    /// Welch's two-sided p-value; `nil` for the best and when unknown. 0 or 1 when both sides have zero
    /// variance (different or equal means).
    public var pValue: Double?

    public init(verdict: Verdict, pValue: Double?) {
        self.verdict = verdict
        self.pValue = pValue
    }

    /// Compares the seeds of a configuration, `values`, with those of the best, `bestValues`.
    public init(values: [Double], bestValues: [Double]) {
        guard values.count >= 2, bestValues.count >= 2, (values + bestValues).allSatisfy(\.isFinite) else {
            self.init(verdict: .unknown, pValue: nil)
            return
        }
        if let test = WelchTest(values, bestValues) {
            self.init(
                verdict: test.pValue < Self.significanceLevel ? .worse : .indistinguishable, pValue: test.pValue)
            return
        }
        // Both sides without any spread: the means either coincide or differ beyond any noise.
        let mean = MetricStatistics(values: values).mean
        let bestMean = MetricStatistics(values: bestValues).mean
        self.init(verdict: mean == bestMean ? .indistinguishable : .worse, pValue: mean == bestMean ? 1 : 0)
    }

    /// As the ranking table's `vs best` column shows it: `best`, `≈ (p=0.41)`, `worse (p=0.003)` or `?`.
    public var description: String {
        switch verdict {
        case .best: "best"
        case .indistinguishable: "≈ (\(Self.formatted(pValue)))"
        case .worse: "worse (\(Self.formatted(pValue)))"
        case .unknown: "?"
        }
    }

    /// `p=0.41`, `p=0.003`, `p<0.001`.
    private static func formatted(_ pValue: Double?) -> String {
        guard let pValue else { return "p=?" }
        if pValue < 0.001 { return "p<0.001" }
        return "p=" + pValue.formatted(decimals: pValue < 0.1 ? 3 : 2)
    }
}
