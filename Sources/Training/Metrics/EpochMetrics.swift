/// What one epoch of training produced.
public struct EpochMetrics: Codable, Hashable, Sendable {
    /// 1 for the first epoch.
    public var epoch: Int
    /// The training objective averaged over the epoch's samples: reconstruction loss plus penalty.
    public var trainLoss: Double
    /// The L1 activity penalty's share of `trainLoss` (0 without sparsity).
    public var trainPenalty: Double
    /// Variational models: the reconstruction term of `trainLoss`, averaged over the epoch's samples.
    public var trainReconstruction: Double?
    /// Variational models: the mean KL divergence per image over the epoch (nats); `trainLoss` counts it
    /// as β·KL / values per image.
    public var trainKLDivergence: Double?
    /// Figures on the validation split after the epoch.
    public var validation: EvaluationMetrics
    /// Wall time of the epoch's training steps, evaluation excluded.
    public var trainingSeconds: Double
    /// Wall time of the validation pass.
    public var evaluationSeconds: Double
    /// Training samples per second of `trainingSeconds`.
    public var samplesPerSecond: Double

    public init(
        epoch: Int, trainLoss: Double, trainPenalty: Double, validation: EvaluationMetrics, trainingSeconds: Double,
        evaluationSeconds: Double, samplesPerSecond: Double
    ) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainPenalty = trainPenalty
        self.validation = validation
        self.trainingSeconds = trainingSeconds
        self.evaluationSeconds = evaluationSeconds
        self.samplesPerSecond = samplesPerSecond
    }
}

extension EpochMetrics {
    /// The metrics with their timings zeroed: what two runs of one configuration and seed (one BLAS thread)
    /// must agree on bit for bit, however fast each ran — a resumed trial and an uninterrupted one, say.
    public var withoutTimings: EpochMetrics {
        var metrics = self
        metrics.trainingSeconds = 0
        metrics.evaluationSeconds = 0
        metrics.samplesPerSecond = 0
        return metrics
    }
}
