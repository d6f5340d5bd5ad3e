import Datasets
import Foundation

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

    /// Every problem that would stop this configuration from training, each at its key: the settings'
    /// ranges, a dataset name aesweep does not know, and a model the dataset's images do not fit.
    public var validationProblems: [ConfigurationProblem] {
        var problems = data.nameProblems.map { $0.within("data") } + settingProblems
        if let shape = data.imageShape, model.validationProblems.isEmpty {
            problems += model.shapeProblems(for: shape).map { $0.within("model") }
        }
        return problems
    }

    /// The problems of the settings' own ranges, whatever the data: what a `Trainer` given a dataset checks
    /// (the dataset it is given then decides the shape).
    public var settingProblems: [ConfigurationProblem] {
        var problems = data.validationProblems.map { $0.within("data") } + model.validationProblems.map { $0.within("model") }
        problems += noise.validationProblems.map { $0.within("noise") }
        if batchSize < 1 { problems.append(.init("batch_size", "must be ≥ 1, got \(batchSize)")) }
        if epochs < 1 { problems.append(.init("epochs", "must be ≥ 1, got \(epochs)")) }
        if !(optimizer.learningRate > 0 && optimizer.learningRate.isFinite) {
            problems.append(
                .init("optimizer.learning_rate", "must be a finite number > 0, got \(optimizer.learningRate)"))
        }
        for (key, beta) in [("beta1", optimizer.beta1), ("beta2", optimizer.beta2)] where !(beta >= 0 && beta < 1) {
            problems.append(.init(ConfigurationKeyPath(keys: ["optimizer", key]), "must lie in [0, 1), got \(beta)"))
        }
        if !(optimizer.epsilon > 0) { problems.append(.init("optimizer.epsilon", "must be > 0, got \(optimizer.epsilon)")) }
        if !(optimizer.weightDecay >= 0 && optimizer.weightDecay.isFinite) {
            problems.append(
                .init("optimizer.weight_decay", "must be a finite number ≥ 0, got \(optimizer.weightDecay)"))
        }
        return problems
    }

    /// The memory a worker needs to train this configuration, when its model and dataset are known:
    /// see `ModelFootprint`.
    public var trainingMemoryBytes: Double? {
        guard let shape = data.imageShape, model.validationProblems.isEmpty else { return nil }
        let footprint = ModelFootprint(configuration: model, shape: shape)
        let evaluationBatch = model.effectiveBackbone == .dense ? Evaluator.denseBatchSize : batchSize
        return footprint.trainingBytes(batchSize: batchSize, evaluationBatchSize: evaluationBatch)
    }

    /// A problem when training needs more than `budget` bytes: at `model.encoder` when the parameters are
    /// most of it, at `batch_size` when the batch's activations are.
    public func memoryProblems(budget: Double) -> [ConfigurationProblem] {
        guard let bytes = trainingMemoryBytes, bytes > budget, let shape = data.imageShape else { return [] }
        let footprint = ModelFootprint(configuration: model, shape: shape)
        let parameterBytes = 16 * footprint.parameterCount
        let key: ConfigurationKeyPath = parameterBytes >= bytes / 2 ? "model.encoder" : "batch_size"
        return [
            .init(
                key,
                "training this model needs about \(MemorySize.text(bytes)) (\(MemorySize.count(footprint.parameterCount)) "
                    + "parameters, batch \(batchSize)), over the per-worker budget of \(MemorySize.text(budget))")
        ]
    }
}

extension TrainingConfiguration {
    /// The key of the corruption in the file form (`noise`): the swept keys under it change the task.
    public static let corruptionKey = CodingKeys.noise.rawValue
}

extension TrainingConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, model, noise, loss, optimizer
        case batchSize = "batch_size"
        case epochs, seed
    }

    public init(from decoder: any Decoder) throws {
        let settings = try decoder.settings(keyedBy: CodingKeys.self)
        let defaults = TrainingConfiguration()
        data = try settings.value(.data, default: defaults.data)
        model = try settings.value(.model, default: defaults.model)
        noise = try settings.value(.noise, default: defaults.noise)
        loss = try settings.choice(.loss, "loss", default: defaults.loss)
        optimizer = try settings.value(.optimizer, default: defaults.optimizer)
        batchSize = try settings.value(.batchSize, default: defaults.batchSize)
        epochs = try settings.value(.epochs, default: defaults.epochs)
        seed = try settings.value(.seed, default: defaults.seed)
    }
}
