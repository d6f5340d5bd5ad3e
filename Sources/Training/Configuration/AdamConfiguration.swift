import Datasets

/// Adam's hyperparameters. Defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, weight decay 1e-5.
public struct AdamConfiguration: Hashable, Sendable {
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 1e-5

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 1e-5
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

extension AdamConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case learningRate = "learning_rate", beta1, beta2, epsilon
        case weightDecay = "weight_decay"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AdamConfiguration()
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        beta1 = try container.decodeIfPresent(Float.self, forKey: .beta1) ?? defaults.beta1
        beta2 = try container.decodeIfPresent(Float.self, forKey: .beta2) ?? defaults.beta2
        epsilon = try container.decodeIfPresent(Float.self, forKey: .epsilon) ?? defaults.epsilon
        weightDecay = try container.decodeIfPresent(Float.self, forKey: .weightDecay) ?? defaults.weightDecay
    }
}
