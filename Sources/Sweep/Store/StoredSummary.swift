import Training

/// A training summary as the `result` table holds it: without its configuration when that is the trial's
/// own (as it always is, unless a worker changed it), which the trial row already holds. Encoding the
/// configuration would be two thirds of the cost of storing a result.
struct StoredSummary: Codable {
    var configuration: TrainingConfiguration?
    var parameterCount: Int
    var epochs: [EpochMetrics]
    var test: EvaluationMetrics
    var stoppedEarly: Bool
    var seconds: Double

    init(_ summary: TrainingSummary, of trial: Trial) {
        configuration = summary.configuration == trial.configuration ? nil : summary.configuration
        parameterCount = summary.parameterCount
        epochs = summary.epochs
        test = summary.test
        stoppedEarly = summary.stoppedEarly
        seconds = summary.seconds
    }

    func summary(of trial: Trial) -> TrainingSummary {
        TrainingSummary(
            configuration: configuration ?? trial.configuration, parameterCount: parameterCount, epochs: epochs,
            test: test, stoppedEarly: stoppedEarly, seconds: seconds)
    }
}
