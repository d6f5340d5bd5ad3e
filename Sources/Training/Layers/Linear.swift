import Datasets

/// A fully connected layer: `output = input · weightᵀ + bias`.
///
/// - input: `[batch, inputCount]`
/// - output: `[batch, outputCount]`
/// - weight: `[outputCount, inputCount]` (PyTorch's layout), bias: `[outputCount]`
///
/// Initialised as PyTorch's `nn.Linear`: weights and biases drawn from U(−1/√inputCount, 1/√inputCount).
public final class Linear: Layer {
    public let inputCount: Int
    public let outputCount: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    private var input: Tensor?
    private let output = Tensor(shape: [0, 0])
    private let inputGradient = Tensor(shape: [0, 0])

    public init(inputCount: Int, outputCount: Int, generator: inout SeededGenerator) {
        precondition(inputCount > 0 && outputCount > 0, "a linear layer needs positive sizes")
        self.inputCount = inputCount
        self.outputCount = outputCount
        let bound = 1 / Float(inputCount).squareRoot()
        let weights = (0..<(inputCount * outputCount)).map { _ in generator.nextFloat(in: -bound...bound) }
        let biases = (0..<outputCount).map { _ in generator.nextFloat(in: -bound...bound) }
        weight = Parameter(name: "weight", shape: [outputCount, inputCount], value: weights)
        bias = Parameter(name: "bias", shape: [outputCount], value: biases)
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.itemSize == inputCount, "Linear(\(inputCount)→\(outputCount)) got \(input.shape)")
        let batch = input.batchSize
        self.input = input
        output.reshape(to: [batch, outputCount])
        let outputCount = outputCount, inputCount = inputCount
        output.scalars.withUnsafeMutableBufferPointer { result in
            bias.value.withUnsafeBufferPointer { bias in
                for row in 0..<batch {
                    _ = UnsafeMutableBufferPointer(rebasing: result[(row * outputCount)..<((row + 1) * outputCount)])
                        .update(fromContentsOf: bias)
                }
            }
            input.scalars.withUnsafeBufferPointer { input in
                weight.value.withUnsafeBufferPointer { weight in
                    BLAS.multiply(
                        input, transposeA: false, weight, transposeB: true, into: result,
                        m: batch, n: outputCount, k: inputCount, beta: 1)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input else { preconditionFailure("Linear.backward before forward") }
        let batch = input.batchSize
        let outputCount = outputCount, inputCount = inputCount
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            // ∂L/∂W = (∂L/∂Y)ᵀ · X
            input.scalars.withUnsafeBufferPointer { input in
                weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                    BLAS.multiply(
                        gradient, transposeA: true, input, transposeB: false, into: weightGradient,
                        m: outputCount, n: inputCount, k: batch)
                }
            }
            // ∂L/∂b = column sums of ∂L/∂Y
            bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                _ = biasGradient.update(fromContentsOf: gradient[0..<outputCount])
                for row in 1..<max(batch, 1) {
                    let base = row * outputCount
                    for column in 0..<outputCount { biasGradient[column] += gradient[base + column] }
                }
            }
        }
        guard needsInputGradient else { return nil }
        // ∂L/∂X = ∂L/∂Y · W
        inputGradient.reshape(to: input.shape)
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            weight.value.withUnsafeBufferPointer { weight in
                inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                    BLAS.multiply(
                        gradient, transposeA: false, weight, transposeB: false, into: result,
                        m: batch, n: inputCount, k: outputCount)
                }
            }
        }
        return inputGradient
    }
}
