/// Max pooling over non-overlapping `size × size` windows (stride = size), as `nn.MaxPool2d(size)`.
///
/// - input: `[batch, channels, height, width]`
/// - output: `[batch, channels, height / size, width / size]` (a remainder row or column is dropped)
///
/// Plain images go through its own kernels; channel-blocked ones (between two convolutions on oneDNN)
/// through oneDNN's pooling, in their layout.
public final class MaxPool2D: LayoutPreserving {
    public let size: Int
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    /// For each output value, the index in the input it came from.
    private var sources: [Int32] = []
    /// The pooling of channel-blocked images, made when the first one arrives.
    private var library: LibraryMaxPooling?
    private var inputLayout = TensorLayout.plain

    public init(size: Int = 2) {
        precondition(size >= 1, "pooling size must be at least 1")
        self.size = size
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4, "MaxPool2D got \(input.shape)")
        inputShape = input.shape
        inputLayout = input.layout
        if input.layout != .plain {
            if library == nil { library = LibraryMaxPooling(size: size) }
            return library!.forward(input)
        }
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outputHeight, outputWidth) = (height / size, width / size)
        output.reshape(to: [batch, channels, outputHeight, outputWidth])
        if sources.count != output.scalars.count { sources = [Int32](repeating: 0, count: output.scalars.count) }
        let size = size
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                sources.withUnsafeMutableBufferPointer { sources in
                    if size == 2 {
                        VectorKernels.maxPool2x2(
                            input, planes: batch * channels, height: height, width: width, into: output, sources: sources)
                        return
                    }
                    var target = 0
                    for plane in 0..<(batch * channels) {
                        let base = plane * height * width
                        for oy in 0..<outputHeight {
                            for ox in 0..<outputWidth {
                                var best = base + (oy * size) * width + ox * size
                                for dy in 0..<size {
                                    let row = base + (oy * size + dy) * width + ox * size
                                    for dx in 0..<size where input[row + dx] > input[best] { best = row + dx }
                                }
                                output[target] = input[best]
                                sources[target] = Int32(best)
                                target += 1
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        if inputLayout != .plain, let library { return library.backward(outputGradient) }
        inputGradient.reshape(to: inputShape)
        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                sources.withUnsafeBufferPointer { sources in
                    if size == 2 {
                        VectorKernels.maxPool2x2Backward(
                            gradient, sources: sources, planes: inputShape[0] * inputShape[1], height: inputShape[2],
                            width: inputShape[3], into: result)
                        return
                    }
                    result.initialize(repeating: 0)
                    for index in 0..<gradient.count { result[Int(sources[index])] += gradient[index] }
                }
            }
        }
        return inputGradient
    }
}
