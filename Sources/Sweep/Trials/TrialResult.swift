import Training

/// A finished trial: what its training run produced and where it ran.
public struct TrialResult: Sendable, Codable {
    public var trial: Trial
    public var summary: TrainingSummary
    /// The worker that ran it, e.g. `host:pid`.
    public var worker: String?
    /// Wall time on the worker that ran it, from receiving the trial to sending its result: loading the data,
    /// building the model, training and evaluating (`summary.seconds` is the training and evaluation alone).
    public var seconds: Double

    public init(trial: Trial, summary: TrainingSummary, worker: String?, seconds: Double) {
        self.trial = trial
        self.summary = summary
        self.worker = worker
        self.seconds = seconds
    }
}
