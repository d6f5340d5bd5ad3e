import Foundation

/// An activation layer: a function applied to every value. Any shape; the output has the input's shape.
///
/// One class with a `switch` outside the loops, so that each loop is a tight, inlined pass over the
/// buffer (a generic layer called through `any Layer` runs unspecialised, one witness call per value).
public final class Activation: LayoutPreserving {
    /// The functions; each derivative is computed from the function's output.
    public enum Function: String, Sendable, CaseIterable {
        /// `max(x, 0)`
        case relu
        /// The logistic function `1 / (1 + e^−x)` (`e^x` to within 2 ulp, inputs beyond ±88 taken as ±88).
        case sigmoid
    }

    public let function: Function
    /// Set by `Sequential` when the layer before applies this ReLU itself (`ReLUAbsorbing`): both passes
    /// then return their argument unchanged.
    public internal(set) var isAbsorbed = false
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])

    public init(_ function: Function) {
        self.function = function
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        if isAbsorbed { return input }
        output.reshape(to: input.shape)
        output.layout = input.layout
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                switch function {
                case .relu:
                    VectorKernels.relu(input, into: output)
                case .sigmoid:
                    VectorKernels.sigmoid(input, into: output)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        if isAbsorbed { return outputGradient }
        inputGradient.reshape(to: output.shape)
        inputGradient.layout = output.layout
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            output.scalars.withUnsafeBufferPointer { output in
                inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                    switch function {
                    case .relu:
                        VectorKernels.reluBackward(output: output, gradient: gradient, into: result)
                    case .sigmoid:
                        for index in 0..<result.count {
                            let y = output[index]
                            result[index] = gradient[index] * y * (1 - y)
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
