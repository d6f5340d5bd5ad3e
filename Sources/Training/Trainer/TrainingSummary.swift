/// What a training run produced: its epochs, its test figures and how it ended.
///
/// The one result type, from the `Trainer` through the wire (a worker's `result`) and the store to the
/// ranking. It holds no configuration: a run's configuration travels with its trial (or, for
/// `aesweep train --output`, in `config.yaml` beside it), never detached from it and attached again.
public struct TrainingSummary: Codable, Hashable, Sendable {
    public var parameterCount: Int
    /// One entry per completed epoch, numbered from 1.
    public var epochs: [EpochMetrics]
    /// Figures on the test split, after the last completed epoch.
    public var test: EvaluationMetrics
    /// True when a stop request ended the run before its last epoch.
    public var stoppedEarly: Bool
    /// Wall time of `Trainer.run`: every epoch's training and validation, and the test evaluation; not
    /// loading the data nor building the model.
    public var seconds: Double

    public init(parameterCount: Int, epochs: [EpochMetrics], test: EvaluationMetrics, stoppedEarly: Bool, seconds: Double) {
        self.parameterCount = parameterCount
        self.epochs = epochs
        self.test = test
        self.stoppedEarly = stoppedEarly
        self.seconds = seconds
    }
}
