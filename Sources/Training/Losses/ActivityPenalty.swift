/// The L1 activity penalty of sparse autoencoders: `λ · (1/batch) · Σ |code|` — the L1 norm of each
/// sample's code, averaged over the batch (Keras's `activity_regularizer=l1(λ)`).
public struct ActivityPenalty: Sendable, Hashable {
    public var weight: Float

    public init(weight: Float) {
        self.weight = weight
    }

    /// The penalty for `code` (`[batch, codeCount]`), adding its gradient to `codeGradient`.
    public func apply(code: Tensor, codeGradient: Tensor) -> Double {
        guard weight > 0 else { return 0 }
        let step = weight / Float(code.batchSize)
        var total: Double = 0
        code.scalars.withUnsafeBufferPointer { code in
            codeGradient.scalars.withUnsafeMutableBufferPointer { gradient in
                var block: Float = 0
                for index in 0..<code.count {
                    let value = code[index]
                    block += abs(value)
                    gradient[index] += value > 0 ? step : (value < 0 ? -step : 0)
                }
                total = Double(block)
            }
        }
        return Double(weight) * total / Double(code.batchSize)
    }
}
