import Foundation

/// A function applied to every value, whose derivative can be computed from its output alone.
public protocol ElementwiseFunction {
    static func value(_ input: Float) -> Float
    /// dy/dx expressed through y.
    static func derivative(output: Float) -> Float
}

/// An activation layer: `Function` applied elementwise. Any shape; the output has the input's shape.
///
/// Generic rather than one class per function, so that the loops are specialised for each function.
public final class ElementwiseActivation<Function: ElementwiseFunction>: Layer {
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])

    public init() {}

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        output.reshape(to: input.shape)
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                for index in 0..<input.count { output[index] = Function.value(input[index]) }
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
                    for index in 0..<result.count {
                        result[index] = gradient[index] * Function.derivative(output: output[index])
                    }
                }
            }
        }
        return inputGradient
    }
}

/// `max(x, 0)`.
public enum Rectifier: ElementwiseFunction {
    @inline(__always) public static func value(_ input: Float) -> Float { max(input, 0) }
    @inline(__always) public static func derivative(output: Float) -> Float { output > 0 ? 1 : 0 }
}

/// The logistic function `1 / (1 + e^−x)`.
public enum Logistic: ElementwiseFunction {
    @inline(__always) public static func value(_ input: Float) -> Float { 1 / (1 + expf(-input)) }
    @inline(__always) public static func derivative(output: Float) -> Float { output * (1 - output) }
}

/// The rectifier layer.
public typealias ReLU = ElementwiseActivation<Rectifier>
/// The sigmoid layer.
public typealias Sigmoid = ElementwiseActivation<Logistic>
