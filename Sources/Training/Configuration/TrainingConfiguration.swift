import Datasets

/// Everything that determines one training run: with the same configuration (seed included) and one
/// BLAS thread, two runs give bit-identical metrics.
///
/// In files (YAML or JSON) every key is optional and takes the default shown:
/// ```yaml
/// data: {name: fashion-mnist, validation_count: 10000}
/// model: {family: dense, encoder: [512, 256, 128, 30], code_activation: linear, dropout: 0, sparsity: 0}
/// noise: {kind: gaussian, sigma: 0.5, clip: true}
/// loss: mse
/// optimizer: {learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1.0e-8, weight_decay: 1.0e-5}
/// batch_size: 128
/// epochs: 5
/// seed: 0
/// ```
public struct TrainingConfiguration: Hashable, Sendable {
    public var data = DataConfiguration()
    public var model = ModelConfiguration()
    public var noise: Corruption = .gaussian(standardDeviation: 0.5, clip: true)
    public var loss: ReconstructionLoss = .mse
    public var optimizer = AdamConfiguration()
    public var batchSize = 128
    public var epochs = 5
    public var seed: UInt64 = 0

    public init() {}

    /// Every problem that would stop this configuration from training, each naming its key.
    public var validationProblems: [String] {
        var problems = data.validationProblems + model.validationProblems
        if let problem = noise.validationProblem { problems.append("noise: \(problem)") }
        if batchSize < 1 { problems.append("batch_size: must be ≥ 1, got \(batchSize)") }
        if epochs < 1 { problems.append("epochs: must be ≥ 1, got \(epochs)") }
        if !(optimizer.learningRate > 0 && optimizer.learningRate.isFinite) {
            problems.append("optimizer.learning_rate: must be a finite number > 0, got \(optimizer.learningRate)")
        }
        for (key, beta) in [("beta1", optimizer.beta1), ("beta2", optimizer.beta2)] where !(beta >= 0 && beta < 1) {
            problems.append("optimizer.\(key): must lie in [0, 1), got \(beta)")
        }
        if !(optimizer.epsilon > 0) { problems.append("optimizer.epsilon: must be > 0, got \(optimizer.epsilon)") }
        if !(optimizer.weightDecay >= 0 && optimizer.weightDecay.isFinite) {
            problems.append("optimizer.weight_decay: must be a finite number ≥ 0, got \(optimizer.weightDecay)")
        }
        return problems
    }
}

extension TrainingConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, model, noise, loss, optimizer
        case batchSize = "batch_size"
        case epochs, seed
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingConfiguration()
        data = try container.decodeIfPresent(DataConfiguration.self, forKey: .data) ?? defaults.data
        model = try container.decodeIfPresent(ModelConfiguration.self, forKey: .model) ?? defaults.model
        noise = try container.decodeIfPresent(Corruption.self, forKey: .noise) ?? defaults.noise
        loss = try container.decodeIfPresent(ReconstructionLoss.self, forKey: .loss) ?? defaults.loss
        optimizer = try container.decodeIfPresent(AdamConfiguration.self, forKey: .optimizer) ?? defaults.optimizer
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
    }
}
