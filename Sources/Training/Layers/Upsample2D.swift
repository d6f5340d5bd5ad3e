/// Nearest-neighbour upsampling by a whole `factor`, as `nn.Upsample(scale_factor: factor, mode: "nearest")`.
///
/// - input: `[batch, channels, height, width]`
/// - output: `[batch, channels, height · factor, width · factor]`
///
/// Channel-blocked images (between two convolutions on oneDNN) stay in their layout. (oneDNN 2.6's own
/// resampling kernels crash on this layout, so the kernels are the project's.)
public final class Upsample2D: LayoutPreserving {
    public let factor: Int
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    private var inputLayout = TensorLayout.plain

    public init(factor: Int = 2) {
        precondition(factor >= 1, "upsampling factor must be at least 1")
        self.factor = factor
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4, "Upsample2D got \(input.shape)")
        inputShape = input.shape
        inputLayout = input.layout
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        output.reshape(to: [batch, channels, height * factor, width * factor])
        output.layout = input.layout
        let (factor, block) = (factor, input.layout.block)
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                // Plain 2× (the conv family's), a row at a time; any other factor or a blocked layout, a
                // position's lanes at a time.
                if factor == 2, block == 1 {
                    VectorKernels.upsample2x(input, planes: batch * channels, height: height, width: width, into: output)
                } else {
                    VectorKernels.upsample(
                        input, planes: batch * channels / block, height: height, width: width, factor: factor,
                        block: block, into: output)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        precondition(outputGradient.layout == inputLayout, "Upsample2D backward got a \(outputGradient.layout) gradient")
        inputGradient.reshape(to: inputShape)
        inputGradient.layout = inputLayout
        let (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (factor, block) = (factor, inputLayout.block)
        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                if factor == 2, block == 1 {
                    VectorKernels.upsample2xBackward(
                        gradient, planes: batch * channels, height: height, width: width, into: result)
                } else {
                    VectorKernels.upsampleBackward(
                        gradient, planes: batch * channels / block, height: height, width: width, factor: factor,
                        block: block, into: result)
                }
            }
        }
        return inputGradient
    }
}
