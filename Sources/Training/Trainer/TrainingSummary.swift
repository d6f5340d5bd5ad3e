/// The outcome of a training run.
public struct TrainingSummary: Codable, Hashable, Sendable {
    public var configuration: TrainingConfiguration
    public var parameterCount: Int
    /// One entry per completed epoch.
    public var epochs: [EpochMetrics]
    /// Figures on the test split, after the last completed epoch.
    public var test: EvaluationMetrics
    /// True when a stop request ended the run before its last epoch.
    public var stoppedEarly: Bool
    /// Wall time of the whole run, evaluation included.
    public var seconds: Double

    public init(
        configuration: TrainingConfiguration, parameterCount: Int, epochs: [EpochMetrics], test: EvaluationMetrics,
        stoppedEarly: Bool, seconds: Double
    ) {
        self.configuration = configuration
        self.parameterCount = parameterCount
        self.epochs = epochs
        self.test = test
        self.stoppedEarly = stoppedEarly
        self.seconds = seconds
    }
}
