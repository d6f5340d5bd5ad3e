import Training

/// One configuration (a grid point) with its metric aggregated over the seeds that finished.
public struct RankedConfiguration: Codable, Sendable, Hashable {
    /// 1 for the best configuration.
    public var rank: Int
    public var configurationID: TrialIdentifier
    /// The swept keys and their values, e.g. `noise.sigma: 0.5`.
    public var parameters: [String: ParameterValue]
    public var statistics: MetricStatistics
    /// The configuration's trials, in seed order, with their seeds and metric values.
    public var trialIDs: [TrialIdentifier]
    public var seeds: [UInt64]
    public var values: [Double]
    /// The trial with the best value (the lowest seed among equals).
    public var bestTrialID: TrialIdentifier
    /// The configuration of that trial, its seed included.
    public var bestTrialConfiguration: TrainingConfiguration
    /// How its seeds compare with the best configuration's (Welch's t-test); set by `RankingTables`,
    /// `nil` in rankings written before comparisons existed.
    public var comparisonWithBest: ComparisonWithBest?
    /// The denoising figures beside the noisy input's, means over the seeds, on the ranking metric's split.
    public var figures: QualityFigures?
    /// The corruption it is evaluated on.
    public var setting: CorruptionSetting?

    public init(
        rank: Int, configurationID: TrialIdentifier, parameters: [String: ParameterValue], statistics: MetricStatistics,
        trialIDs: [TrialIdentifier], seeds: [UInt64], values: [Double], bestTrialID: TrialIdentifier,
        bestTrialConfiguration: TrainingConfiguration, comparisonWithBest: ComparisonWithBest? = nil
    ) {
        self.rank = rank
        self.configurationID = configurationID
        self.parameters = parameters
        self.statistics = statistics
        self.trialIDs = trialIDs
        self.seeds = seeds
        self.values = values
        self.bestTrialID = bestTrialID
        self.bestTrialConfiguration = bestTrialConfiguration
        self.comparisonWithBest = comparisonWithBest
    }

    /// The best trial's seed.
    public var bestSeed: UInt64 { bestTrialConfiguration.seed }
}
