import Datasets

/// Makes the layers of one model in a fixed order from one seed: weights from the initialisation stream,
/// every dropout layer with a stream of its own, batch norm where the configuration asks for it.
///
/// The families are built from its stages, so that, e.g., the `conv` family's encoder and the conv
/// backbone of a VAE are the same code.
struct ModelBuilder {
    let seed: UInt64
    let dropoutProbability: Float
    let batchNorm: Bool
    var generator: SeededGenerator
    private var dropoutCount: UInt64 = 0

    init(seed: UInt64, configuration: ModelConfiguration) {
        self.seed = seed
        dropoutProbability = configuration.dropout
        batchNorm = configuration.batchNorm
        generator = SeededGenerator(seed: seed, stream: RandomStream.initialisation.rawValue)
    }

    /// A dropout layer (none when the probability is 0).
    mutating func dropout() -> [any Layer] {
        guard dropoutProbability > 0 else { return [] }
        dropoutCount += 1
        let stream = SeededGenerator(seed: seed, stream: RandomStream.dropout.rawValue << 16 | dropoutCount)
        return [Dropout(probability: dropoutProbability, generator: stream)]
    }

    /// What follows every hidden layer of `features` outputs: batch norm (optional), ReLU, dropout (optional).
    mutating func hiddenTail(features: Int) -> [any Layer] {
        (batchNorm ? [BatchNorm(featureCount: features)] : []) + [Activation(.relu)] + dropout()
    }

    mutating func linear(_ input: Int, _ output: Int) -> Linear {
        Linear(inputCount: input, outputCount: output, generator: &generator)
    }

    /// A 3×3 convolution, same padding (stride 1) or halving (stride 2).
    mutating func convolution(_ input: Int, _ output: Int, stride: Int = 1) -> Conv2D {
        Conv2D(inputChannels: input, outputChannels: output, kernelSize: 3, stride: stride, padding: 1, generator: &generator)
    }

    /// A 3×3 stride-2 transposed convolution from `inputSide`-sized maps to `outputSide`-sized ones.
    mutating func transposedConvolution(_ input: Int, _ output: Int, from inputSide: Int, to outputSide: Int)
        -> ConvTranspose2D
    {
        let outputPadding = outputSide - (2 * inputSide - 1)
        precondition((0...1).contains(outputPadding), "no stride-2 transposed convolution maps \(inputSide) to \(outputSide)")
        return ConvTranspose2D(
            inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1,
            outputPadding: outputPadding, generator: &generator)
    }

    // MARK: Stages

    /// The shape `[channels, height, width]` between convolutional stages.
    typealias MapShape = (channels: Int, height: Int, width: Int)

    /// Linear layers of `widths`, each with the hidden tail: `[batch, inputCount]` → `[batch, widths.last]`.
    mutating func denseEncoder(inputCount: Int, widths: [Int]) -> [any Layer] {
        var layers: [any Layer] = []
        var previous = inputCount
        for width in widths {
            layers += [linear(previous, width)] + hiddenTail(features: width)
            previous = width
        }
        return layers
    }

    /// The mirror of `denseEncoder` after the code: hidden layers of `widths` reversed but the last, then
    /// a linear layer to `outputCount` with a sigmoid. Input `[batch, widths.last]`.
    mutating func denseDecoder(widths: [Int], outputCount: Int) -> [any Layer] {
        var layers: [any Layer] = []
        var previous = widths.last!
        for width in widths.reversed().dropFirst() {
            layers += [linear(previous, width)] + hiddenTail(features: width)
            previous = width
        }
        return layers + [linear(previous, outputCount), Activation(.sigmoid)]
    }

    /// Flat image → `Reshape` → (3×3 convolution, hidden tail, 2×2 max pool) per width.
    mutating func poolingEncoder(shape: ImageShape, widths: [Int]) -> (layers: [any Layer], output: MapShape) {
        var layers: [any Layer] = [Reshape([shape.channels, shape.height, shape.width])]
        var map: MapShape = (shape.channels, shape.height, shape.width)
        for width in widths {
            layers += [convolution(map.channels, width)] + hiddenTail(features: width) + [MaxPool2D(size: 2)]
            map = (width, map.height / 2, map.width / 2)
        }
        return (layers, map)
    }

    /// The mirror of `poolingEncoder`: (3×3 convolution, hidden tail, 2× nearest upsampling) per width
    /// reversed, then a 3×3 convolution to the image's channels, a sigmoid, and the flat image.
    mutating func upsamplingDecoder(from map: MapShape, widths: [Int], shape: ImageShape) -> [any Layer] {
        var layers: [any Layer] = []
        var channels = map.channels
        for width in widths.reversed() {
            layers += [convolution(channels, width)] + hiddenTail(features: width) + [Upsample2D(factor: 2)]
            channels = width
        }
        return layers + [convolution(channels, shape.channels), Activation(.sigmoid), Reshape([shape.featureCount])]
    }

    /// Flat image → `Reshape` → (3×3 stride-2 convolution, hidden tail) per width. Also returns the map
    /// sides before each stage, which the decoder needs to find its way back.
    mutating func stridedEncoder(shape: ImageShape, widths: [Int])
        -> (layers: [any Layer], output: MapShape, sides: [(height: Int, width: Int)])
    {
        var layers: [any Layer] = [Reshape([shape.channels, shape.height, shape.width])]
        var map: MapShape = (shape.channels, shape.height, shape.width)
        var sides: [(height: Int, width: Int)] = []
        for width in widths {
            sides.append((map.height, map.width))
            layers += [convolution(map.channels, width, stride: 2)] + hiddenTail(features: width)
            map = (width, (map.height - 1) / 2 + 1, (map.width - 1) / 2 + 1)
        }
        return (layers, map, sides)
    }

    /// The mirror of `stridedEncoder`: stride-2 transposed convolutions back through `sides`, each with the
    /// hidden tail but the last, which goes to the image's channels with a sigmoid; then the flat image.
    mutating func transposedDecoder(
        from map: MapShape, widths: [Int], sides: [(height: Int, width: Int)], shape: ImageShape
    ) -> [any Layer] {
        precondition(shape.height == shape.width, "the strided families need square images, got \(shape)")
        var layers: [any Layer] = []
        var channels = map.channels
        var side = map.height
        for stage in widths.indices.reversed() {
            let output = stage > 0 ? widths[stage - 1] : shape.channels
            let target = sides[stage].height
            layers.append(transposedConvolution(channels, output, from: side, to: target))
            layers += stage > 0 ? hiddenTail(features: output) : [Activation(.sigmoid)]
            channels = output
            side = target
        }
        return layers + [Reshape([shape.featureCount])]
    }

    /// The encoder body of a backbone (features flattened) and the decoder from `codeCount` inputs.
    mutating func backbone(
        _ backbone: ModelConfiguration.Backbone, shape: ImageShape, widths: [Int], codeCount: Int
    ) -> (encoder: [any Layer], featureCount: Int, decoder: [any Layer]) {
        switch backbone {
        case .dense:
            let encoder = denseEncoder(inputCount: shape.featureCount, widths: widths)
            let entrance: [any Layer] = [linear(codeCount, widths.last!)] + hiddenTail(features: widths.last!)
            return (encoder, widths.last!, entrance + denseDecoder(widths: widths, outputCount: shape.featureCount))
        case .conv:
            let (encoder, map) = poolingEncoder(shape: shape, widths: widths)
            let entrance = mapEntrance(codeCount: codeCount, map: map)
            return (
                encoder + [Reshape([entrance.featureCount])], entrance.featureCount,
                entrance.layers + upsamplingDecoder(from: map, widths: widths, shape: shape)
            )
        case .stridedConv:
            let (encoder, map, sides) = stridedEncoder(shape: shape, widths: widths)
            let entrance = mapEntrance(codeCount: codeCount, map: map)
            return (
                encoder + [Reshape([entrance.featureCount])], entrance.featureCount,
                entrance.layers + transposedDecoder(from: map, widths: widths, sides: sides, shape: shape)
            )
        }
    }

    /// From a flat code back to a feature map: a linear layer with the hidden tail, then `Reshape`.
    private mutating func mapEntrance(codeCount: Int, map: MapShape) -> (layers: [any Layer], featureCount: Int) {
        let featureCount = map.channels * map.height * map.width
        let layers: [any Layer] =
            [linear(codeCount, featureCount)] + hiddenTail(features: featureCount)
            + [Reshape([map.channels, map.height, map.width])]
        return (layers, featureCount)
    }
}
