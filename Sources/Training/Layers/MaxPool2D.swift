/// Max pooling over non-overlapping `size × size` windows (stride = size), as `nn.MaxPool2d(size)`.
///
/// - input: `[batch, channels, height, width]`
/// - output: `[batch, channels, height / size, width / size]` (a remainder row or column is dropped)
public final class MaxPool2D: Layer {
    public let size: Int
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    /// For each output value, the index in the input it came from.
    private var sources: [Int] = []

    public init(size: Int = 2) {
        precondition(size >= 1, "pooling size must be at least 1")
        self.size = size
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4, "MaxPool2D got \(input.shape)")
        inputShape = input.shape
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outputHeight, outputWidth) = (height / size, width / size)
        output.reshape(to: [batch, channels, outputHeight, outputWidth])
        if sources.count != output.scalars.count { sources = [Int](repeating: 0, count: output.scalars.count) }
        let size = size
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                sources.withUnsafeMutableBufferPointer { sources in
                    if size == 2 {
                        Self.forwardTwoByTwo(
                            input, output: output, sources: sources, planes: batch * channels, height: height,
                            width: width)
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
                                sources[target] = best
                                target += 1
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The common 2×2 case, with the window unrolled: the first maximum in row-major order wins, as in
    /// the general loop.
    private static func forwardTwoByTwo(
        _ input: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
        sources: UnsafeMutableBufferPointer<Int>, planes: Int, height: Int, width: Int
    ) {
        let (outputHeight, outputWidth) = (height / 2, width / 2)
        var target = 0
        for plane in 0..<planes {
            let base = plane * height * width
            for oy in 0..<outputHeight {
                let top = base + 2 * oy * width
                let bottom = top + width
                for ox in 0..<outputWidth {
                    var best = top + 2 * ox
                    var value = input[best]
                    if input[top + 2 * ox + 1] > value { best = top + 2 * ox + 1; value = input[best] }
                    if input[bottom + 2 * ox] > value { best = bottom + 2 * ox; value = input[best] }
                    if input[bottom + 2 * ox + 1] > value { best = bottom + 2 * ox + 1; value = input[best] }
                    output[target] = value
                    sources[target] = best
                    target += 1
                }
            }
        }
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.reshape(to: inputShape)
        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
            result.initialize(repeating: 0)
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                sources.withUnsafeBufferPointer { sources in
                    for index in 0..<gradient.count { result[sources[index]] += gradient[index] }
                }
            }
        }
        return inputGradient
    }
}
