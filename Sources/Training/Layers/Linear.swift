import Datasets

/// A fully connected layer: `output = input · weightᵀ + bias`.
///
/// - input: `[batch, inputCount]`
/// - output: `[batch, outputCount]`
/// - weight: `[outputCount, inputCount]` (PyTorch's layout), bias: `[outputCount]`
///
/// Initialised as PyTorch's `nn.Linear`: weights and biases drawn from U(−1/√inputCount, 1/√inputCount).
public final class Linear: ReLUAbsorbing {
    public let inputCount: Int
    public let outputCount: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }
    /// Whether a following ReLU is applied here (set by `Sequential`): `output = max(input · weightᵀ + bias, 0)`.
    var appliesReLU = false

    private var input: Tensor?
    private let output = Tensor(shape: [0, 0])
    private let inputGradient = Tensor(shape: [0, 0])
    /// With `appliesReLU`, ∂loss/∂(input · weightᵀ + bias): the incoming gradient masked by the output.
    private let maskedGradient = Tensor(shape: [0, 0])

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
        precondition(input.layout == .plain, "Linear got a \(input.layout) input")
        let batch = input.batchSize
        self.input = input
        output.reshape(to: [batch, outputCount])
        let outputCount = outputCount, inputCount = inputCount
        output.scalars.withUnsafeMutableBufferPointer { result in
            input.scalars.withUnsafeBufferPointer { input in
                weight.value.withUnsafeBufferPointer { weight in
                    BLAS.multiply(
                        input, transposeA: false, weight, transposeB: true, into: result,
                        m: batch, n: outputCount, k: inputCount)
                }
            }
            // One pass for the bias and the fused ReLU.
            bias.value.withUnsafeBufferPointer { bias in
                VectorKernels.addBias(bias, toRowsOf: result, rows: batch, relu: appliesReLU)
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input else { preconditionFailure("Linear.backward before forward") }
        let batch = input.batchSize
        let outputCount = outputCount, inputCount = inputCount
        // ∂L/∂b = column sums of ∂L/∂Y, in the same pass as the fused ReLU's mask.
        let gradientTensor: Tensor
        if appliesReLU {
            maskedGradient.reshape(to: outputGradient.shape)
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                output.scalars.withUnsafeBufferPointer { output in
                    maskedGradient.scalars.withUnsafeMutableBufferPointer { masked in
                        bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                            VectorKernels.columnSums(
                                of: gradient, rows: batch, maskedBy: output, masked: masked, into: biasGradient)
                        }
                    }
                }
            }
            gradientTensor = maskedGradient
        } else {
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                    VectorKernels.columnSums(of: gradient, rows: batch, into: biasGradient)
                }
            }
            gradientTensor = outputGradient
        }
        gradientTensor.scalars.withUnsafeBufferPointer { gradient in
            // ∂L/∂W = (∂L/∂Y)ᵀ · X
            input.scalars.withUnsafeBufferPointer { input in
                weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                    BLAS.multiply(
                        gradient, transposeA: true, input, transposeB: false, into: weightGradient,
                        m: outputCount, n: inputCount, k: batch)
                }
            }
        }
        guard needsInputGradient else { return nil }
        // ∂L/∂X = ∂L/∂Y · W
        inputGradient.reshape(to: input.shape)
        gradientTensor.scalars.withUnsafeBufferPointer { gradient in
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
