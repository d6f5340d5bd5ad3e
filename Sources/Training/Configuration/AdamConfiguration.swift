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
        let settings = try decoder.settings(keyedBy: CodingKeys.self)
        let defaults = AdamConfiguration()
        self.init(
            learningRate: try settings.value(.learningRate, default: defaults.learningRate),
            beta1: try settings.value(.beta1, default: defaults.beta1),
            beta2: try settings.value(.beta2, default: defaults.beta2),
            epsilon: try settings.value(.epsilon, default: defaults.epsilon),
            weightDecay: try settings.value(.weightDecay, default: defaults.weightDecay))
    }
}
