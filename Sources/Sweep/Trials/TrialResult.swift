import Training

/// A finished trial: what its training run produced and where it ran.
public struct TrialResult: Sendable, Codable {
    public var trial: Trial
    public var summary: TrainingSummary
    /// The worker that ran it, e.g. `host:pid`.
    public var worker: String?
    /// Wall time from dispatch to stored result.
    public var seconds: Double

    public init(trial: Trial, summary: TrainingSummary, worker: String?, seconds: Double) {
        self.trial = trial
        self.summary = summary
        self.worker = worker
        self.seconds = seconds
    }
}
