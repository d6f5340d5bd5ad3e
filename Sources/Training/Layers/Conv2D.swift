import Datasets

/// A 2-D convolution (cross-correlation, as PyTorch's `nn.Conv2d`), lowered onto BLAS through im2col.
///
/// - input: `[batch, inputChannels, height, width]` (NCHW)
/// - output: `[batch, outputChannels, outputHeight, outputWidth]`, where
///   `outputHeight = (height + 2·padding − kernelSize) / stride + 1` (likewise for the width)
/// - weight: `[outputChannels, inputChannels, kernelSize, kernelSize]`, bias: `[outputChannels]`
///
/// Initialised as PyTorch's default: weights and biases from U(±1/√(inputChannels·kernelSize²)).
/// One image is lowered at a time (a `[inputChannels·k², outputHeight·outputWidth]` buffer), so memory
/// does not grow with the batch; the backward pass lowers each image again rather than keeping them all.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    private var input: Tensor?
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    private var columns: [Float] = []
    private var columnGradient: [Float] = []

    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        generator: inout SeededGenerator
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = inputChannels * kernelSize * kernelSize
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(
            name: "weight", shape: [outputChannels, inputChannels, kernelSize, kernelSize],
            value: (0..<(outputChannels * fanIn)).map { _ in generator.nextFloat(in: -bound...bound) })
        bias = Parameter(
            name: "bias", shape: [outputChannels],
            value: (0..<outputChannels).map { _ in generator.nextFloat(in: -bound...bound) })
    }

    /// The output's spatial size for an input of `height × width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernelSize) / stride + 1, (width + 2 * padding - kernelSize) / stride + 1)
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels, "Conv2D got \(input.shape)")
        self.input = input
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outputHeight, outputWidth) = outputSize(height: height, width: width)
        let plane = outputHeight * outputWidth
        let rows = inputChannels * kernelSize * kernelSize
        output.reshape(to: [batch, outputChannels, outputHeight, outputWidth])
        if columns.count != rows * plane { columns = [Float](repeating: 0, count: rows * plane) }
        let outputItem = outputChannels * plane
        for item in 0..<batch {
            lower(input, item: item, height: height, width: width, outputHeight: outputHeight, outputWidth: outputWidth)
            output.scalars.withUnsafeMutableBufferPointer { result in
                let target = UnsafeMutableBufferPointer(rebasing: result[(item * outputItem)..<((item + 1) * outputItem)])
                bias.value.withUnsafeBufferPointer { bias in
                    for channel in 0..<outputChannels {
                        UnsafeMutableBufferPointer(rebasing: target[(channel * plane)..<((channel + 1) * plane)])
                            .initialize(repeating: bias[channel])
                    }
                }
                weight.value.withUnsafeBufferPointer { weight in
                    columns.withUnsafeBufferPointer { columns in
                        BLAS.multiply(
                            weight, transposeA: false, columns, transposeB: false, into: target,
                            m: outputChannels, n: plane, k: rows, beta: 1)
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input else { preconditionFailure("Conv2D.backward before forward") }
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outputHeight, outputWidth) = outputSize(height: height, width: width)
        let plane = outputHeight * outputWidth
        let rows = inputChannels * kernelSize * kernelSize
        let outputItem = outputChannels * plane
        for index in weight.gradient.indices { weight.gradient[index] = 0 }
        for index in bias.gradient.indices { bias.gradient[index] = 0 }
        if needsInputGradient {
            inputGradient.reshape(to: input.shape)
            inputGradient.scalars.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) }
            if columnGradient.count != rows * plane { columnGradient = [Float](repeating: 0, count: rows * plane) }
        }
        for item in 0..<batch {
            lower(input, item: item, height: height, width: width, outputHeight: outputHeight, outputWidth: outputWidth)
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                let itemGradient = UnsafeBufferPointer(rebasing: gradient[(item * outputItem)..<((item + 1) * outputItem)])
                // ∂L/∂W += ∂L/∂Y · columnsᵀ
                columns.withUnsafeBufferPointer { columns in
                    weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                        BLAS.multiply(
                            itemGradient, transposeA: false, columns, transposeB: true, into: weightGradient,
                            m: outputChannels, n: rows, k: plane, beta: 1)
                    }
                }
                bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                    for channel in 0..<outputChannels {
                        var sum: Float = 0
                        for position in (channel * plane)..<((channel + 1) * plane) { sum += itemGradient[position] }
                        biasGradient[channel] += sum
                    }
                }
                guard needsInputGradient else { return }
                // ∂L/∂columns = Wᵀ · ∂L/∂Y, then scattered back onto the image (col2im).
                weight.value.withUnsafeBufferPointer { weight in
                    columnGradient.withUnsafeMutableBufferPointer { columnGradient in
                        BLAS.multiply(
                            weight, transposeA: true, itemGradient, transposeB: false, into: columnGradient,
                            m: rows, n: plane, k: outputChannels)
                    }
                }
            }
            if needsInputGradient {
                raise(item: item, height: height, width: width, outputHeight: outputHeight, outputWidth: outputWidth)
            }
        }
        return needsInputGradient ? inputGradient : nil
    }

    /// im2col: row `(channel, ky, kx)` of `columns` holds, for every output position, the input value
    /// under that kernel tap (0 in the padding).
    private func lower(_ input: Tensor, item: Int, height: Int, width: Int, outputHeight: Int, outputWidth: Int) {
        let (kernelSize, stride, padding, channels) = (kernelSize, stride, padding, inputChannels)
        let plane = outputHeight * outputWidth
        input.scalars.withUnsafeBufferPointer { input in
            columns.withUnsafeMutableBufferPointer { columns in
                let base = item * channels * height * width
                for channel in 0..<channels {
                    for ky in 0..<kernelSize {
                        for kx in 0..<kernelSize {
                            let row = ((channel * kernelSize + ky) * kernelSize + kx) * plane
                            for oy in 0..<outputHeight {
                                let y = oy * stride - padding + ky
                                let rowStart = row + oy * outputWidth
                                guard y >= 0 && y < height else {
                                    for ox in 0..<outputWidth { columns[rowStart + ox] = 0 }
                                    continue
                                }
                                let source = base + (channel * height + y) * width
                                for ox in 0..<outputWidth {
                                    let x = ox * stride - padding + kx
                                    columns[rowStart + ox] = (x >= 0 && x < width) ? input[source + x] : 0
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// col2im: adds `columnGradient` back onto image `item` of `inputGradient`.
    private func raise(item: Int, height: Int, width: Int, outputHeight: Int, outputWidth: Int) {
        let (kernelSize, stride, padding, channels) = (kernelSize, stride, padding, inputChannels)
        let plane = outputHeight * outputWidth
        columnGradient.withUnsafeBufferPointer { columns in
            inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                let base = item * channels * height * width
                for channel in 0..<channels {
                    for ky in 0..<kernelSize {
                        for kx in 0..<kernelSize {
                            let row = ((channel * kernelSize + ky) * kernelSize + kx) * plane
                            for oy in 0..<outputHeight {
                                let y = oy * stride - padding + ky
                                guard y >= 0 && y < height else { continue }
                                let target = base + (channel * height + y) * width
                                for ox in 0..<outputWidth {
                                    let x = ox * stride - padding + kx
                                    if x >= 0 && x < width { result[target + x] += columns[row + oy * outputWidth + ox] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
