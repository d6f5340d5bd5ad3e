/// What a running `Trainer` reports, in order, on the thread that trains.
public enum TrainingEvent: Sendable {
    /// Every few hundred batches within an epoch.
    case progress(TrainingProgress)
    /// At the end of each epoch, after validation.
    case epochCompleted(EpochMetrics)
}

/// Progress within an epoch.
public struct TrainingProgress: Codable, Hashable, Sendable {
    public var epoch: Int
    public var epochCount: Int
    /// Batches done in this epoch, and how many it has.
    public var batch: Int
    public var batchCount: Int
    /// Mean training objective over this epoch's batches so far.
    public var runningLoss: Double
    public var samplesPerSecond: Double

    public init(epoch: Int, epochCount: Int, batch: Int, batchCount: Int, runningLoss: Double, samplesPerSecond: Double) {
        self.epoch = epoch
        self.epochCount = epochCount
        self.batch = batch
        self.batchCount = batchCount
        self.runningLoss = runningLoss
        self.samplesPerSecond = samplesPerSecond
    }
}
