import Datasets

/// A 2-D convolution (cross-correlation, as PyTorch's `nn.Conv2d`), lowered onto BLAS through im2col.
///
/// - input: `[batch, inputChannels, height, width]` (NCHW)
/// - output: `[batch, outputChannels, outputHeight, outputWidth]`, where
///   `outputHeight = (height + 2·padding − kernelSize) / stride + 1` (likewise for the width)
/// - weight: `[outputChannels, inputChannels, kernelSize, kernelSize]`, bias: `[outputChannels]`
///
/// Initialised as PyTorch's default: weights and biases from U(±1/√(inputChannels·kernelSize²)).
///
/// Several images are lowered at once into one `[inputChannels·k², images·outputHeight·outputWidth]`
/// column matrix, as many as fit a fixed budget (4 MiB with the product beside it), so each product is
/// wide while memory does not grow with the batch; the backward pass lowers the images again rather than
/// keeping them all. With stride 1 and no more output than input channels the convolution runs instead
/// as the transposed convolution with the flipped kernel, whose column matrix has `outputChannels·k²`
/// rows, the smaller one (the `conv` model's 32→1 layer runs 5 times faster so).
///
/// With at least `libraryMinimumOutputChannels` output channels the layer runs instead on oneDNN's
/// convolution kernels (`LibraryConvolution`), in the channel-blocked layouts they choose, which on the conv
/// families' middle layers reach the speed of a large sgemm; its output then stays channel-blocked up to
/// the next such convolution (see `Sequential`).
public final class Conv2D: ReLUAbsorbing, BlockedLayoutProducing {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }
    /// Whether a following ReLU is applied here (set by `Sequential`): clamped in the pass that writes the
    /// output, the gradient masked in the pass that gathers it.
    var appliesReLU = false {
        didSet { transposed?.appliesReLU = appliesReLU }
    }

    /// How the convolution becomes matrix products.
    enum Strategy {
        /// im2col on the input, `weight · columns`, as described above.
        case lowerInput
        /// `flipped weightᵀ · input`, then col2im onto the output: a stride-1 transposed convolution.
        case raiseOutput
        /// oneDNN's convolution primitives (`LibraryConvolution`).
        case library
    }

    /// The fewest output channels for which the layer runs on oneDNN by default: its kernels for 1 to 3
    /// output channels (the conv model's last layer) run at 3–6 GFLOP/s, far below the raised output's.
    static let libraryMinimumOutputChannels = 8

    /// The default budget for a chunk's column matrix and the product beside it: 1 Mi scalars, 4 MiB.
    /// Anything from 1 to 4 MiB runs the `conv` model's convolutions equally fast; more spills the cache.
    static let defaultColumnLimit = 1 << 20

    let strategy: Strategy
    /// The most scalars a chunk's column matrix and product may hold; at least one image is lowered at a
    /// time regardless.
    let columnLimit: Int

    private var input: Tensor?
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    /// The lowered images of one chunk, `[inputChannels·k², images·positions]`; in the backward pass also
    /// ∂loss/∂columns.
    private var columns: [Float] = []
    /// The first image of the chunk `columns` holds the lowering of, if it does.
    private var loweredChunkStart: Int?
    /// One chunk's output (forward) or output gradient (backward), channel-major: `[outputChannels, images·positions]`.
    private var product: [Float] = []
    /// For `.raiseOutput`: the same convolution as a transposed one, whose weights are this layer's
    /// flipped and transposed.
    private let transposed: ConvTranspose2D?
    /// For `.library`: the passes on oneDNN.
    private let library: LibraryConvolution?
    /// For tests: makes a layer on oneDNN fall back to its own lowering, as where the library has only a
    /// reference kernel.
    var libraryTreatsEveryKernelAsReference: Bool {
        get { library?.treatsEveryKernelAsReference ?? false }
        set { library?.treatsEveryKernelAsReference = newValue }
    }

    var runsOnLibrary: Bool { library != nil }
    var emitsBlockedLayout: Bool {
        get { library?.emitsBlockedLayout ?? false }
        set { library?.emitsBlockedLayout = newValue }
    }

    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        generator: inout SeededGenerator
    ) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, columnLimit: Conv2D.defaultColumnLimit, strategy: nil, generator: &generator)
    }

    /// - Parameters:
    ///   - columnLimit: the budget of a chunk's column matrix and product, in scalars.
    ///   - strategy: `nil` picks `.library` from `libraryMinimumOutputChannels` output channels, else
    ///     `.raiseOutput` where it applies and its column matrix is no larger.
    init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int, columnLimit: Int,
        strategy: Strategy?, generator: inout SeededGenerator
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0)
        precondition(columnLimit > 0, "a column budget must be positive")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.columnLimit = columnLimit
        let fanIn = inputChannels * kernelSize * kernelSize
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(
            name: "weight", shape: [outputChannels, inputChannels, kernelSize, kernelSize],
            value: (0..<(outputChannels * fanIn)).map { _ in generator.nextFloat(in: -bound...bound) })
        bias = Parameter(
            name: "bias", shape: [outputChannels],
            value: (0..<outputChannels).map { _ in generator.nextFloat(in: -bound...bound) })
        let canRaise = stride == 1 && padding < kernelSize
        let chosen =
            strategy
            ?? (outputChannels >= Self.libraryMinimumOutputChannels
                ? .library : canRaise && outputChannels <= inputChannels ? .raiseOutput : .lowerInput)
        precondition(chosen != .raiseOutput || canRaise, "raising the output needs stride 1 and padding < kernel size")
        self.strategy = chosen
        transposed =
            chosen == .raiseOutput
            ? ConvTranspose2D(
                inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                padding: kernelSize - 1 - padding, columnLimit: columnLimit)
            : nil
        library =
            chosen == .library
            ? LibraryConvolution(
                role: .convolution, inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                stride: stride, padding: padding)
            : nil
    }

    /// The output's spatial size for an input of `height × width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernelSize) / stride + 1, (width + 2 * padding - kernelSize) / stride + 1)
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels, "Conv2D got \(input.shape)")
        if let library {
            return library.forward(input, weight: weight, bias: bias, relu: appliesReLU, otherwise: lowerForward)
        }
        return lowerForward(input)
    }

    /// The forward pass on the layer's own lowering (or raising), of a plain input.
    private func lowerForward(_ input: Tensor) -> Tensor {
        precondition(input.layout == .plain, "Conv2D off oneDNN got a \(input.layout) input")
        if let transposed {
            copyFlippedWeights(into: transposed)
            return transposed.forward(input, mode: .training)
        }
        self.input = input
        let batch = input.shape[0]
        let lowering = ImageLowering(
            channels: inputChannels, height: input.shape[2], width: input.shape[3], kernelSize: kernelSize,
            stride: stride, padding: padding)
        let (rows, positions) = (lowering.rowCount, lowering.positionCount)
        let chunk = lowering.imagesPerChunk(limit: columnLimit, otherRows: outputChannels, batch: batch)
        reserveBuffers(rows: rows, chunkPositions: chunk * positions)
        output.reshape(to: [batch, outputChannels, lowering.outputHeight, lowering.outputWidth])
        let outputChannels = outputChannels
        let outputItem = outputChannels * positions
        for start in Swift.stride(from: 0, to: batch, by: chunk) {
            let count = min(chunk, batch - start)
            lowerChunk(of: input, with: lowering, start: start, count: count)
            // Y = W · columns, then each image's planes, plus the bias, into the output.
            weight.value.withUnsafeBufferPointer { weight in
                columns.withUnsafeBufferPointer { columns in
                    product.withUnsafeMutableBufferPointer { product in
                        BLAS.multiply(
                            weight, transposeA: false, columns, transposeB: false,
                            into: product, m: outputChannels, n: count * positions, k: rows)
                    }
                }
            }
            product.withUnsafeBufferPointer { product in
                bias.value.withUnsafeBufferPointer { bias in
                    output.scalars.withUnsafeMutableBufferPointer { output in
                        ImageLowering.scatter(
                            product, count: count, channels: outputChannels, planeSize: positions, adding: bias,
                            relu: appliesReLU, into: UnsafeMutableBufferPointer(rebasing: output[(start * outputItem)...]))
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        if let library {
            return library.backward(
                outputGradient, weight: weight, bias: bias, relu: appliesReLU, needsInputGradient: needsInputGradient,
                otherwise: lowerBackward)
        }
        return lowerBackward(outputGradient, needsInputGradient: needsInputGradient)
    }

    /// The backward pass on the layer's own lowering, after `lowerForward`.
    private func lowerBackward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        if let transposed {
            let result = transposed.backward(outputGradient, needsInputGradient: needsInputGradient)
            copyFlippedGradients(from: transposed)
            return result
        }
        guard let input else { preconditionFailure("Conv2D.backward before forward") }
        precondition(outputGradient.shape == output.shape, "Conv2D.backward got \(outputGradient.shape)")
        let batch = input.shape[0]
        let lowering = ImageLowering(
            channels: inputChannels, height: input.shape[2], width: input.shape[3], kernelSize: kernelSize,
            stride: stride, padding: padding)
        let (rows, positions) = (lowering.rowCount, lowering.positionCount)
        let chunk = lowering.imagesPerChunk(limit: columnLimit, otherRows: outputChannels, batch: batch)
        let outputChannels = outputChannels
        let (inputItem, outputItem) = (lowering.imageSize, outputChannels * positions)
        if needsInputGradient { inputGradient.reshape(to: input.shape) }
        // Last chunk first: the forward pass left its lowering in `columns`.
        let chunkCount = (batch + chunk - 1) / chunk
        if chunkCount == 0 {
            for index in weight.gradient.indices { weight.gradient[index] = 0 }
            for index in bias.gradient.indices { bias.gradient[index] = 0 }
        }
        for order in 0..<chunkCount {
            let start = (chunkCount - 1 - order) * chunk
            let count = min(chunk, batch - start)
            let accumulate: Float = order == 0 ? 0 : 1
            if loweredChunkStart != start { lowerChunk(of: input, with: lowering, start: start, count: count) }
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                output.scalars.withUnsafeBufferPointer { output in
                    product.withUnsafeMutableBufferPointer { product in
                        ImageLowering.gather(
                            UnsafeBufferPointer(rebasing: gradient[(start * outputItem)...]), count: count,
                            channels: outputChannels, planeSize: positions,
                            maskedBy: appliesReLU ? UnsafeBufferPointer(rebasing: output[(start * outputItem)...]) : nil,
                            into: product)
                    }
                }
            }
            product.withUnsafeBufferPointer { product in
                let width = count * positions
                // ∂L/∂W (+)= ∂L/∂Y · columnsᵀ
                columns.withUnsafeBufferPointer { columns in
                    weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                        BLAS.multiply(
                            product, transposeA: false, columns, transposeB: true, into: weightGradient,
                            m: outputChannels, n: rows, k: width, beta: accumulate)
                    }
                }
                bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                    for channel in 0..<outputChannels {
                        let sum = UnsafeBufferPointer(rebasing: product[(channel * width)..<((channel + 1) * width)]).sum()
                        biasGradient[channel] = order == 0 ? sum : biasGradient[channel] + sum
                    }
                }
                guard needsInputGradient else { return }
                // ∂L/∂columns = Wᵀ · ∂L/∂Y, over the lowering, then added back onto the images (col2im).
                loweredChunkStart = nil
                columns.withUnsafeMutableBufferPointer { columns in
                    weight.value.withUnsafeBufferPointer { weight in
                        BLAS.multiply(
                            weight, transposeA: true, product, transposeB: false, into: columns,
                            m: rows, n: width, k: outputChannels)
                    }
                    inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                        let images = UnsafeMutableBufferPointer(rebasing: result[(start * inputItem)..<((start + count) * inputItem)])
                        images.update(repeating: 0)
                        lowering.raise(columns, count: count, into: images)
                    }
                }
            }
        }
        return needsInputGradient ? inputGradient : nil
    }

    /// Lowers images `start..<start+count` of `input` into `columns` (im2col) and notes which chunk it holds.
    private func lowerChunk(of input: Tensor, with lowering: ImageLowering, start: Int, count: Int) {
        input.scalars.withUnsafeBufferPointer { input in
            columns.withUnsafeMutableBufferPointer { columns in
                lowering.lower(
                    UnsafeBufferPointer(rebasing: input[(start * lowering.imageSize)...]), count: count, into: columns)
            }
        }
        loweredChunkStart = start
    }

    private func reserveBuffers(rows: Int, chunkPositions: Int) {
        if columns.count < rows * chunkPositions {
            columns = [Float](repeating: 0, count: rows * chunkPositions)
            loweredChunkStart = nil
        }
        if product.count < outputChannels * chunkPositions {
            product = [Float](repeating: 0, count: outputChannels * chunkPositions)
        }
    }

    /// The transposed convolution's weight `[inputChannels, outputChannels, k, k]` at `(c, o, ty, tx)` is this
    /// one's at `(o, c, k−1−ty, k−1−tx)`; the biases are the same.
    private func copyFlippedWeights(into transposed: ConvTranspose2D) {
        let (inputs, outputs, taps, last) = (inputChannels, outputChannels, kernelSize * kernelSize, kernelSize * kernelSize - 1)
        weight.value.withUnsafeBufferPointer { weight in
            transposed.weight.value.withUnsafeMutableBufferPointer { flipped in
                for output in 0..<outputs {
                    for input in 0..<inputs {
                        let source = (output * inputs + input) * taps
                        let target = (input * outputs + output) * taps
                        for tap in 0..<taps { flipped[target + tap] = weight[source + last - tap] }
                    }
                }
            }
        }
        bias.value.withUnsafeBufferPointer { bias in
            transposed.bias.value.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: bias) }
        }
    }

    /// The inverse rearrangement of `copyFlippedWeights`, for the gradients.
    private func copyFlippedGradients(from transposed: ConvTranspose2D) {
        let (inputs, outputs, taps, last) = (inputChannels, outputChannels, kernelSize * kernelSize, kernelSize * kernelSize - 1)
        transposed.weight.gradient.withUnsafeBufferPointer { flipped in
            weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                for output in 0..<outputs {
                    for input in 0..<inputs {
                        let target = (output * inputs + input) * taps
                        let source = (input * outputs + output) * taps
                        for tap in 0..<taps { weightGradient[target + tap] = flipped[source + last - tap] }
                    }
                }
            }
        }
        transposed.bias.gradient.withUnsafeBufferPointer { gradient in
            bias.gradient.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: gradient) }
        }
    }
}
