import Foundation

/// The loss between a reconstruction and the clean image, averaged over every value of the batch
/// (PyTorch's `reduction='mean'`).
public enum ReconstructionLoss: String, Codable, CaseIterable, Sendable {
    /// Mean squared error.
    case mse
    /// Binary cross-entropy, as PyTorch's `BCELoss`: logarithms clamped at −100 and the gradient's
    /// denominator `y(1 − y)` kept at or above 1e-12, so saturated outputs give finite values.
    case bce

    /// Returns the mean loss over `output.count` values and, when `gradient` is given, writes
    /// ∂loss/∂output into it.
    ///
    /// - Parameters:
    ///   - output: the reconstruction, values in (0, 1) for BCE.
    ///   - target: the clean image, same count.
    ///   - gradient: receives ∂loss/∂output, same count.
    public func evaluate(
        output: UnsafeBufferPointer<Float>,
        target: UnsafeBufferPointer<Float>,
        gradient: UnsafeMutableBufferPointer<Float>?
    ) -> Double {
        let count = output.count
        precondition(target.count == count, "loss: \(count) outputs against \(target.count) targets")
        let scale = 1 / Float(count)
        var total: Double = 0
        switch self {
        case .mse:
            // Sum in Float blocks, then in Double, so long batches lose no precision.
            var index = 0
            while index < count {
                let end = min(index + 4096, count)
                var block: Float = 0
                if let gradient {
                    for i in index..<end {
                        let difference = output[i] - target[i]
                        block += difference * difference
                        gradient[i] = 2 * scale * difference
                    }
                } else {
                    for i in index..<end {
                        let difference = output[i] - target[i]
                        block += difference * difference
                    }
                }
                total += Double(block)
                index = end
            }
        case .bce:
            for i in 0..<count {
                let y = output[i], t = target[i]
                let logY = max(logf(y), -100), logOneMinusY = max(logf(1 - y), -100)
                total -= Double(t * logY + (1 - t) * logOneMinusY)
                if let gradient { gradient[i] = scale * (y - t) / max(y * (1 - y), 1e-12) }
            }
        }
        return total / Double(count)
    }
}
