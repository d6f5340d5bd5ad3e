import Training

/// A stored result without its trial: the summary, the worker that sent it and its seconds on that worker.
public struct StoredSummary: Sendable {
    public var id: TrialIdentifier
    public var summary: TrainingSummary
    public var worker: String?
    public var seconds: Double
}
