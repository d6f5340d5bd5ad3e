import Datasets

/// Inverted dropout: in training, each value is zeroed with `probability` and the rest are scaled by
/// `1 / (1 − probability)`; in inference it is the identity. Any shape.
public final class Dropout: LayoutPreserving, RandomDrawing {
    public let probability: Float
    var generator: SeededGenerator
    private let mask = Tensor(shape: [0])
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])
    private var lastModeWasTraining = false

    /// - Parameter generator: the stream the masks are drawn from.
    public init(probability: Float, generator: SeededGenerator) {
        precondition(probability >= 0 && probability < 1, "dropout probability must lie in [0, 1)")
        self.probability = probability
        self.generator = generator
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        lastModeWasTraining = mode == .training && probability > 0
        guard lastModeWasTraining else { return input }
        mask.reshape(to: input.shape)
        output.reshape(to: input.shape)
        output.layout = input.layout
        let keep = 1 / (1 - probability)
        let threshold = UInt64(Double(probability) * Double(1 << 32))
        mask.scalars.withUnsafeMutableBufferPointer { mask in
            // One 64-bit draw decides two values.
            var index = 0
            while index < mask.count {
                let bits = generator.next()
                mask[index] = (bits & 0xFFFF_FFFF) < threshold ? 0 : keep
                if index + 1 < mask.count { mask[index + 1] = (bits >> 32) < threshold ? 0 : keep }
                index += 2
            }
            input.scalars.withUnsafeBufferPointer { input in
                output.scalars.withUnsafeMutableBufferPointer { output in
                    for index in 0..<output.count { output[index] = input[index] * mask[index] }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard lastModeWasTraining else { return outputGradient }
        inputGradient.reshape(to: outputGradient.shape)
        inputGradient.layout = outputGradient.layout
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            mask.scalars.withUnsafeBufferPointer { mask in
                inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                    for index in 0..<result.count { result[index] = gradient[index] * mask[index] }
                }
            }
        }
        return inputGradient
    }
}
