import Datasets

/// A 2-D transposed convolution, as PyTorch's `nn.ConvTranspose2d`: the adjoint of `Conv2D` with the same
/// geometry, which spreads each input value over a `kernelSize × kernelSize` patch of a larger output.
///
/// - input: `[batch, inputChannels, height, width]` (NCHW)
/// - output: `[batch, outputChannels, outputHeight, outputWidth]`, where
///   `outputHeight = (height − 1)·stride − 2·padding + kernelSize + outputPadding` (likewise for the width)
/// - weight: `[inputChannels, outputChannels, kernelSize, kernelSize]`, bias: `[outputChannels]`
///
/// `outputPadding` (less than `stride`) adds rows and columns at the bottom and right, choosing among the
/// output sizes that a stride-`stride` `Conv2D` maps to the same input size (e.g. 7 → 14 needs 1, 7 → 13
/// needs 0 with stride 2, padding 1, kernel 3). Initialised as PyTorch's default: weights and biases from
/// U(±1/√(outputChannels·kernelSize²)), PyTorch's fan-in for this layer's weight.
///
/// The forward pass is `weightᵀ · input`, a `[outputChannels·k², images·height·width]` column matrix for
/// a chunk of images, added onto the output by col2im; the backward pass lowers ∂loss/∂output by im2col.
/// With at least `Conv2D.libraryMinimumOutputChannels` output channels, a layer made by the public
/// initialiser runs instead on oneDNN's convolution kernels as the adjoint of a convolution
/// (`LibraryConvolution`), and its output stays channel-blocked up to the next such layer (see `Sequential`).
public final class ConvTranspose2D: ReLUAbsorbing, BlockedLayoutProducing {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }
    /// Whether a following ReLU is applied here (set by `Sequential`, or by the `Conv2D` this layer runs
    /// for): clamped in place after the last chunk, the incoming gradient masked before it is lowered.
    var appliesReLU = false

    /// The passes on oneDNN, if the layer runs there.
    private let library: LibraryConvolution?
    var runsOnLibrary: Bool { library != nil }
    var emitsBlockedLayout: Bool {
        get { library?.emitsBlockedLayout ?? false }
        set { library?.emitsBlockedLayout = newValue }
    }

    /// The most scalars a chunk's column matrix and gathered input may hold; at least one image is handled
    /// at a time regardless.
    let columnLimit: Int

    private var input: Tensor?
    private let output = Tensor(shape: [0, 0, 0, 0])
    private let inputGradient = Tensor(shape: [0, 0, 0, 0])
    /// With `appliesReLU`: ∂loss/∂(the output before the ReLU).
    private let maskedGradient = Tensor(shape: [0, 0, 0, 0])
    /// One chunk of the input, channel-major: `[inputChannels, images·height·width]`; in the backward pass
    /// also ∂loss/∂input.
    private var gathered: [Float] = []
    /// The first image of the chunk `gathered` holds, if it holds the input's.
    private var gatheredChunkStart: Int?
    /// `[outputChannels·k², images·height·width]`: `weightᵀ · gathered` forward, the lowered ∂loss/∂output backward.
    private var columns: [Float] = []

    /// - Precondition: `outputPadding < stride` (or `< dilation`, which this layer does not have).
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        outputPadding: Int = 0, generator: inout SeededGenerator
    ) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, outputPadding: outputPadding, columnLimit: Conv2D.defaultColumnLimit,
            onLibrary: outputChannels >= Conv2D.libraryMinimumOutputChannels, generator: &generator)
    }

    /// A layer drawn like the public initialiser's with a column budget of `columnLimit` scalars, on oneDNN
    /// when `onLibrary` (the budget then does not matter).
    convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        outputPadding: Int = 0, columnLimit: Int, onLibrary: Bool = false, generator: inout SeededGenerator
    ) {
        let fanIn = outputChannels * kernelSize * kernelSize
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        let weights = (0..<(inputChannels * fanIn)).map { _ in generator.nextFloat(in: -bound...bound) }
        let biases = (0..<outputChannels).map { _ in generator.nextFloat(in: -bound...bound) }
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, outputPadding: outputPadding, columnLimit: columnLimit, onLibrary: onLibrary,
            weights: weights, biases: biases)
    }

    /// A layer with zero weights and biases, for `Conv2D`, which copies its own in before each forward pass.
    convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, padding: Int, columnLimit: Int) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: 1,
            padding: padding, outputPadding: 0, columnLimit: columnLimit, onLibrary: false,
            weights: [Float](repeating: 0, count: inputChannels * outputChannels * kernelSize * kernelSize),
            biases: [Float](repeating: 0, count: outputChannels))
    }

    private init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int,
        columnLimit: Int, onLibrary: Bool, weights: [Float], biases: [Float]
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0)
        precondition(outputPadding >= 0 && outputPadding < stride, "output padding \(outputPadding) must be below the stride \(stride)")
        precondition(columnLimit > 0, "a column budget must be positive")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.columnLimit = columnLimit
        weight = Parameter(name: "weight", shape: [inputChannels, outputChannels, kernelSize, kernelSize], value: weights)
        bias = Parameter(name: "bias", shape: [outputChannels], value: biases)
        library =
            onLibrary
            ? LibraryConvolution(
                role: .transposed, inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                stride: stride, padding: padding, outputPadding: outputPadding)
            : nil
    }

    /// The output's spatial size for an input of `height × width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (
            (height - 1) * stride - 2 * padding + kernelSize + outputPadding,
            (width - 1) * stride - 2 * padding + kernelSize + outputPadding
        )
    }

    /// The convolution geometry this layer is the adjoint of: its "images" are this layer's outputs and its
    /// output positions this layer's input positions.
    private func lowering(height: Int, width: Int) -> ImageLowering {
        let (outputHeight, outputWidth) = outputSize(height: height, width: width)
        precondition(outputHeight > 0 && outputWidth > 0, "ConvTranspose2D maps \(height)×\(width) to nothing")
        let lowering = ImageLowering(
            channels: outputChannels, height: outputHeight, width: outputWidth, kernelSize: kernelSize,
            stride: stride, padding: padding)
        precondition(lowering.outputHeight == height && lowering.outputWidth == width)
        return lowering
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels, "ConvTranspose2D got \(input.shape)")
        if let library {
            return library.forward(input, weight: weight, bias: bias, relu: appliesReLU, otherwise: lowerForward)
        }
        return lowerForward(input)
    }

    /// The forward pass on the layer's own lowering, of a plain input.
    private func lowerForward(_ input: Tensor) -> Tensor {
        precondition(input.layout == .plain, "ConvTranspose2D off oneDNN got a \(input.layout) input")
        self.input = input
        let batch = input.shape[0]
        let lowering = lowering(height: input.shape[2], width: input.shape[3])
        let (rows, positions) = (lowering.rowCount, lowering.positionCount)
        let chunk = lowering.imagesPerChunk(limit: columnLimit, otherRows: inputChannels, batch: batch)
        reserveBuffers(rows: rows, chunkPositions: chunk * positions)
        output.reshape(to: [batch, outputChannels, lowering.height, lowering.width])
        let (inputChannels, outputChannels) = (inputChannels, outputChannels)
        let (inputItem, outputItem, plane) = (inputChannels * positions, lowering.imageSize, lowering.height * lowering.width)
        input.scalars.withUnsafeBufferPointer { input in
            output.scalars.withUnsafeMutableBufferPointer { output in
                bias.value.withUnsafeBufferPointer { bias in
                    for image in 0..<batch {
                        for channel in 0..<outputChannels {
                            let start = image * outputItem + channel * plane
                            UnsafeMutableBufferPointer(rebasing: output[start..<(start + plane)]).update(repeating: bias[channel])
                        }
                    }
                }
                gathered.withUnsafeMutableBufferPointer { gathered in
                    columns.withUnsafeMutableBufferPointer { columns in
                        weight.value.withUnsafeBufferPointer { weight in
                            for start in Swift.stride(from: 0, to: batch, by: chunk) {
                                let count = min(chunk, batch - start)
                                ImageLowering.gather(
                                    UnsafeBufferPointer(rebasing: input[(start * inputItem)...]), count: count,
                                    channels: inputChannels, planeSize: positions, into: gathered)
                                BLAS.multiply(
                                    weight, transposeA: true, UnsafeBufferPointer(gathered), transposeB: false,
                                    into: columns, m: rows, n: count * positions, k: inputChannels)
                                lowering.raise(
                                    columns, count: count,
                                    into: UnsafeMutableBufferPointer(rebasing: output[(start * outputItem)...]))
                                gatheredChunkStart = start
                            }
                        }
                    }
                }
                if appliesReLU { VectorKernels.relu(UnsafeBufferPointer(output), into: output) }
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
        guard appliesReLU else { return backwardFromOutput(outputGradient, needsInputGradient: needsInputGradient) }
        maskedGradient.reshape(to: outputGradient.shape)
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            output.scalars.withUnsafeBufferPointer { output in
                maskedGradient.scalars.withUnsafeMutableBufferPointer {
                    VectorKernels.reluBackward(output: output, gradient: gradient, into: $0)
                }
            }
        }
        return backwardFromOutput(maskedGradient, needsInputGradient: needsInputGradient)
    }

    /// The backward pass given ∂loss/∂(the output before any fused ReLU).
    private func backwardFromOutput(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input else { preconditionFailure("ConvTranspose2D.backward before forward") }
        let batch = input.shape[0]
        let lowering = lowering(height: input.shape[2], width: input.shape[3])
        precondition(outputGradient.shape == output.shape, "ConvTranspose2D.backward got \(outputGradient.shape)")
        let (rows, positions) = (lowering.rowCount, lowering.positionCount)
        let chunk = lowering.imagesPerChunk(limit: columnLimit, otherRows: inputChannels, batch: batch)
        let (inputChannels, outputChannels) = (inputChannels, outputChannels)
        let (inputItem, outputItem, plane) = (inputChannels * positions, lowering.imageSize, lowering.height * lowering.width)
        // ∂L/∂b: sums over the batch and the output plane.
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                biasGradient.update(repeating: 0)
                for image in 0..<batch {
                    for channel in 0..<outputChannels {
                        let start = image * outputItem + channel * plane
                        biasGradient[channel] += UnsafeBufferPointer(rebasing: gradient[start..<(start + plane)]).sum()
                    }
                }
            }
        }
        if needsInputGradient { inputGradient.reshape(to: input.shape) }
        let chunkCount = (batch + chunk - 1) / chunk
        if chunkCount == 0 { for index in weight.gradient.indices { weight.gradient[index] = 0 } }
        // Last chunk first: the forward pass left it in `gathered`.
        for order in 0..<chunkCount {
            let start = (chunkCount - 1 - order) * chunk
            let count = min(chunk, batch - start)
            let width = count * positions
            outputGradient.scalars.withUnsafeBufferPointer { gradient in
                columns.withUnsafeMutableBufferPointer { columns in
                    lowering.lower(UnsafeBufferPointer(rebasing: gradient[(start * outputItem)...]), count: count, into: columns)
                }
            }
            if gatheredChunkStart != start {
                input.scalars.withUnsafeBufferPointer { input in
                    gathered.withUnsafeMutableBufferPointer { gathered in
                        ImageLowering.gather(
                            UnsafeBufferPointer(rebasing: input[(start * inputItem)...]), count: count,
                            channels: inputChannels, planeSize: positions, into: gathered)
                    }
                }
                gatheredChunkStart = start
            }
            columns.withUnsafeBufferPointer { columns in
                gathered.withUnsafeMutableBufferPointer { gathered in
                    // ∂L/∂W (+)= X · (lowered ∂L/∂Y)ᵀ
                    weight.gradient.withUnsafeMutableBufferPointer { weightGradient in
                        BLAS.multiply(
                            UnsafeBufferPointer(gathered), transposeA: false, columns, transposeB: true,
                            into: weightGradient, m: inputChannels, n: rows, k: width, beta: order == 0 ? 0 : 1)
                    }
                    guard needsInputGradient else { return }
                    // ∂L/∂X = W · lowered ∂L/∂Y: a convolution of the output gradient.
                    gatheredChunkStart = nil
                    weight.value.withUnsafeBufferPointer { weight in
                        BLAS.multiply(
                            weight, transposeA: false, columns, transposeB: false, into: gathered,
                            m: inputChannels, n: width, k: rows)
                    }
                    inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                        ImageLowering.scatter(
                            UnsafeBufferPointer(gathered), count: count, channels: inputChannels, planeSize: positions,
                            into: UnsafeMutableBufferPointer(rebasing: result[(start * inputItem)...]))
                    }
                }
            }
        }
        return needsInputGradient ? inputGradient : nil
    }

    private func reserveBuffers(rows: Int, chunkPositions: Int) {
        if columns.count < rows * chunkPositions { columns = [Float](repeating: 0, count: rows * chunkPositions) }
        if gathered.count < inputChannels * chunkPositions {
            gathered = [Float](repeating: 0, count: inputChannels * chunkPositions)
            gatheredChunkStart = nil
        }
    }
}
