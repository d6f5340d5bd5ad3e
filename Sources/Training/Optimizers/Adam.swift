/// Adam (Kingma & Ba, 2015) with coupled weight decay: the decay is added to the gradient before the
/// moments are updated, exactly as PyTorch's `torch.optim.Adam(weight_decay=…)` does (not AdamW).
public final class Adam {
    public let configuration: AdamConfiguration
    public let parameters: [Parameter]
    /// How many steps have been taken.
    public internal(set) var stepCount = 0
    /// m and v, one array per parameter, in the order of `parameters`.
    var firstMoments: [[Float]]
    var secondMoments: [[Float]]

    public init(parameters: [Parameter], configuration: AdamConfiguration) {
        self.parameters = parameters
        self.configuration = configuration
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    /// Updates every parameter from its current gradient: per value, with `g = gradient + decay·value`,
    /// `m ← m + (g − m)(1 − β₁)`, `v ← β₂v + (1 − β₂)g²`, `value ← value − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)`
    /// (one pass per parameter, `VectorKernels.adam`).
    public func step() {
        stepCount += 1
        let beta1 = configuration.beta1, beta2 = configuration.beta2
        let biasCorrection1 = 1 - Float(integerPower(Double(beta1), stepCount))
        let biasCorrection2 = 1 - Float(integerPower(Double(beta2), stepCount))
        let stepSize = configuration.learningRate / biasCorrection1
        let inverseCorrection2Root = 1 / biasCorrection2.squareRoot()
        let epsilon = configuration.epsilon
        for (index, parameter) in parameters.enumerated() {
            let decay = parameter.decays ? configuration.weightDecay : 0
            parameter.value.withUnsafeMutableBufferPointer { value in
                parameter.gradient.withUnsafeBufferPointer { gradient in
                    firstMoments[index].withUnsafeMutableBufferPointer { first in
                        secondMoments[index].withUnsafeMutableBufferPointer { second in
                            VectorKernels.adam(
                                value: value, gradient: gradient, first: first, second: second, decay: decay,
                                beta1: beta1, beta2: beta2, stepSize: stepSize,
                                inverseCorrection2Root: inverseCorrection2Root, epsilon: epsilon)
                        }
                    }
                }
            }
        }
    }
}

/// `base` to a whole power by repeated squaring, so results do not depend on the platform's libm.
private func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0, factor = base, remaining = exponent
    while remaining > 0 {
        if remaining & 1 == 1 { result *= factor }
        factor *= factor
        remaining >>= 1
    }
    return result
}
