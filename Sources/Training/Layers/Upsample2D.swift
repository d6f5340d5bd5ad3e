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
        let (outputHeight, outputWidth) = (height * factor, width * factor)
        output.reshape(to: [batch, channels, outputHeight, outputWidth])
        output.layout = input.layout
        let factor = factor
        if case .channelBlocked(let block) = input.layout {
            input.scalars.withUnsafeBufferPointer { input in
                output.scalars.withUnsafeMutableBufferPointer { output in
                    VectorKernels.upsample(
                        input, planes: batch * channels / block, height: height, width: width, factor: factor,
                        block: block, into: output)
                }
            }
            return output
        }
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                if factor == 2 {
                    VectorKernels.upsample2x(input, planes: batch * channels, height: height, width: width, into: output)
                    return
                }
                for plane in 0..<(batch * channels) {
                    for y in 0..<height {
                        // One output row from the input row, then copies of it for the other factor − 1 rows.
                        let source = (plane * height + y) * width
                        let first = (plane * outputHeight + y * factor) * outputWidth
                        for x in 0..<width {
                            let value = input[source + x]
                            for repeat_ in 0..<factor { output[first + x * factor + repeat_] = value }
                        }
                        for row in 1..<factor {
                            let target = first + row * outputWidth
                            _ = UnsafeMutableBufferPointer(rebasing: output[target..<(target + outputWidth)])
                                .update(fromContentsOf: output[first..<(first + outputWidth)])
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.reshape(to: inputShape)
        inputGradient.layout = inputLayout
        let (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (outputHeight, outputWidth) = (height * factor, width * factor)
        let factor = factor
        if case .channelBlocked(let block) = inputLayout {
            precondition(outputGradient.layout == inputLayout, "Upsample2D backward got a \(outputGradient.layout) gradient")
            inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                outputGradient.scalars.withUnsafeBufferPointer { gradient in
                    VectorKernels.upsampleBackward(
                        gradient, planes: batch * channels / block, height: height, width: width, factor: factor,
                        block: block, into: result)
                }
            }
            return inputGradient
        }
        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                if factor == 2 {
                    VectorKernels.upsample2xBackward(
                        gradient, planes: batch * channels, height: height, width: width, into: result)
                    return
                }
                result.initialize(repeating: 0)
                for plane in 0..<(batch * channels) {
                    for y in 0..<height {
                        let target = (plane * height + y) * width
                        for row in 0..<factor {
                            let source = (plane * outputHeight + y * factor + row) * outputWidth
                            for x in 0..<width {
                                var sum: Float = 0
                                for repeat_ in 0..<factor { sum += gradient[source + x * factor + repeat_] }
                                result[target + x] += sum
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
