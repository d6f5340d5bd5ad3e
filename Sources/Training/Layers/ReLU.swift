/// The rectifier `max(x, 0)`, elementwise. Any shape.
public final class ReLU: Layer {
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])

    public init() {}

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        output.reshape(to: input.shape)
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                for index in 0..<input.count { output[index] = max(input[index], 0) }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.reshape(to: output.shape)
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            output.scalars.withUnsafeBufferPointer { output in
                inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                    for index in 0..<result.count { result[index] = output[index] > 0 ? gradient[index] : 0 }
                }
            }
        }
        return inputGradient
    }
}
