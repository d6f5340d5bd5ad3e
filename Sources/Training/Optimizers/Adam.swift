/// Adam (Kingma & Ba, 2015) with coupled weight decay: the decay is added to the gradient before the
/// moments are updated, exactly as PyTorch's `torch.optim.Adam(weight_decay=…)` does (not AdamW).
public final class Adam {
    public let configuration: AdamConfiguration
    public let parameters: [Parameter]
    /// How many steps have been taken.
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    public init(parameters: [Parameter], configuration: AdamConfiguration) {
        self.parameters = parameters
        self.configuration = configuration
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    /// Updates every parameter from its current gradient.
    public func step() {
        stepCount += 1
        let beta1 = configuration.beta1, beta2 = configuration.beta2
        let biasCorrection1 = 1 - Float(integerPower(Double(beta1), stepCount))
        let biasCorrection2 = 1 - Float(integerPower(Double(beta2), stepCount))
        let stepSize = configuration.learningRate / biasCorrection1
        let inverseCorrection2Root = 1 / biasCorrection2.squareRoot()
        let epsilon = configuration.epsilon
        for (index, parameter) in parameters.enumerated() {
            let update = Update(
                stepSize: stepSize, inverseCorrection2Root: inverseCorrection2Root, epsilon: epsilon, beta1: beta1,
                beta2: beta2, decay: parameter.decays ? configuration.weightDecay : 0)
            parameter.value.withUnsafeMutableBufferPointer { value in
                parameter.gradient.withUnsafeBufferPointer { gradient in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            update.apply(value: value, gradient: gradient, m: m, v: v)
                        }
                    }
                }
            }
        }
    }

    /// One step's constants, applied eight values at a time (the compiler cannot vectorise the scalar
    /// loop itself, as it cannot prove the four arrays distinct).
    private struct Update {
        let stepSize: Float, inverseCorrection2Root: Float, epsilon: Float, beta1: Float, beta2: Float, decay: Float

        func apply(
            value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
            m: UnsafeMutableBufferPointer<Float>, v: UnsafeMutableBufferPointer<Float>
        ) {
            typealias Vector = SIMD8<Float>
            let count = value.count
            let vectorEnd = count - count % Vector.scalarCount
            guard let valueBase = value.baseAddress, let gradientBase = gradient.baseAddress,
                let mBase = m.baseAddress, let vBase = v.baseAddress
            else { return }
            let valueBytes = UnsafeMutableRawPointer(valueBase), gradientBytes = UnsafeRawPointer(gradientBase)
            let mBytes = UnsafeMutableRawPointer(mBase), vBytes = UnsafeMutableRawPointer(vBase)
            var offset = 0
            while offset < vectorEnd {
                let byteOffset = offset * MemoryLayout<Float>.stride
                let theta = valueBytes.loadUnaligned(fromByteOffset: byteOffset, as: Vector.self)
                let g = gradientBytes.loadUnaligned(fromByteOffset: byteOffset, as: Vector.self) + decay * theta
                var first = mBytes.loadUnaligned(fromByteOffset: byteOffset, as: Vector.self)
                var second = vBytes.loadUnaligned(fromByteOffset: byteOffset, as: Vector.self)
                first += (g - first) * (1 - beta1)
                second = second * beta2 + (1 - beta2) * g * g
                let denominator = second.squareRoot() * inverseCorrection2Root + epsilon
                mBytes.storeBytes(of: first, toByteOffset: byteOffset, as: Vector.self)
                vBytes.storeBytes(of: second, toByteOffset: byteOffset, as: Vector.self)
                valueBytes.storeBytes(of: theta - stepSize * first / denominator, toByteOffset: byteOffset, as: Vector.self)
                offset += Vector.scalarCount
            }
            for i in vectorEnd..<count {
                let g = gradient[i] + decay * value[i]
                m[i] += (g - m[i]) * (1 - beta1)
                v[i] = v[i] * beta2 + (1 - beta2) * g * g
                let denominator = v[i].squareRoot() * inverseCorrection2Root + epsilon
                value[i] -= stepSize * m[i] / denominator
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
