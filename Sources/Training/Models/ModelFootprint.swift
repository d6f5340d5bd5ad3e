import Datasets

/// How much memory a model needs to train, worked out from its configuration and image shape without
/// building it: its parameters, and the values its layers keep per image for the backward pass.
///
/// Follows `ModelBuilder`'s stages layer by layer (a test holds the parameter counts of the two together
/// for every family). Counts are `Double`s, so that absurd widths (`encoder: [1000000000000]`) give a huge
/// figure instead of overflowing.
public struct ModelFootprint: Sendable, Hashable {
    /// Trainable scalars.
    public private(set) var parameterCount: Double = 0
    /// Values per image held by the layers' outputs during a training step (each layer keeps its output
    /// for the backward pass; dropout also its mask).
    public private(set) var activationValuesPerImage: Double = 0
    /// The largest single layer output per image: the backward pass holds about two of these at a time.
    public private(set) var largestLayerPerImage: Double = 0

    /// Bytes of the 4 KiB-aligned column buffers convolutions lower their input into (at most 4 MiB).
    static let loweringBytes: Double = 4 * 1024 * 1024

    /// The footprint of `configuration`'s model on images of `shape`, conditioned (cvae) on `classCount` classes.
    public init(configuration: ModelConfiguration, shape: ImageShape, classCount: Int = 10) {
        var plan = Plan(configuration: configuration)
        let widths = configuration.encoderWidths.map(Double.init)
        let features = Double(shape.featureCount)
        plan.output(features)  // the corrupted input batch
        switch configuration.family {
        case .dense:
            var previous = features
            for width in widths.dropLast() { plan.linear(previous, width, hidden: true); previous = width }
            plan.linear(previous, widths.last!, hidden: false)
            if configuration.codeActivation != .linear { plan.output(widths.last!) }
            plan.dropout(widths.last!)
            plan.denseDecoder(widths: widths, outputCount: features)
        case .conv:
            let map = plan.poolingEncoder(shape: shape, widths: widths)
            plan.upsamplingDecoder(from: map, widths: widths, shape: shape)
        case .stridedConv:
            let (map, sides) = plan.stridedEncoder(shape: shape, widths: widths)
            plan.transposedDecoder(from: map, widths: widths, sides: sides, shape: shape)
        case .convLinear:
            let body = plan.backbone(configuration.effectiveBackbone, shape: shape, widths: widths, codeCount: Double(configuration.latent))
            plan.linear(body, Double(configuration.latent), hidden: false)
            if configuration.codeActivation != .linear { plan.output(Double(configuration.latent)) }
            plan.dropout(Double(configuration.latent))
        case .vae, .cvae:
            let condition: Double =
                configuration.family == .cvae ? (configuration.condition == .label ? Double(classCount) : features) : 0
            let latent = Double(configuration.latent)
            let body = plan.backbone(configuration.effectiveBackbone, shape: shape, widths: widths, codeCount: latent + condition)
            // The head to μ and log σ², then ε, z, and the joined input of a conditional decoder.
            plan.parameters += (body + condition) * 2 * latent + 2 * latent
            plan.output(2 * latent)
            plan.output(4 * latent + condition)
        }
        plan.output(features)  // the output gradient
        parameterCount = plan.parameters
        activationValuesPerImage = plan.values
        largestLayerPerImage = plan.largest
    }

    /// Bytes to train at `batchSize` and evaluate at `evaluationBatchSize`: each parameter four times (value,
    /// gradient, Adam's two moments), the kept outputs at the larger of the two batches, two of the largest
    /// layer for the backward pass, and the convolutions' column buffer.
    public func trainingBytes(batchSize: Int, evaluationBatchSize: Int) -> Double {
        let batch = Double(max(batchSize, evaluationBatchSize))
        return 4 * (4 * parameterCount + batch * (activationValuesPerImage + 2 * largestLayerPerImage))
            + Self.loweringBytes
    }

    /// The layers' arithmetic, stage by stage as `ModelBuilder` builds them.
    private struct Plan {
        let batchNorm: Bool
        let dropoutRate: Float
        var parameters: Double = 0
        var values: Double = 0
        var largest: Double = 0

        init(configuration: ModelConfiguration) {
            batchNorm = configuration.batchNorm
            dropoutRate = configuration.dropout
        }

        mutating func output(_ count: Double) {
            values += count
            largest = max(largest, count)
        }

        mutating func dropout(_ count: Double) {
            if dropoutRate > 0 { output(2 * count) }
        }

        /// Batch norm, ReLU and dropout after a hidden layer of `features` channels of `count` values each.
        mutating func hiddenTail(features: Double, count: Double) {
            if batchNorm {
                parameters += 2 * features
                output(2 * count)  // the normalised values and the output
            }
            output(count)
            dropout(count)
        }

        mutating func linear(_ input: Double, _ output: Double, hidden: Bool) {
            parameters += input * output + output
            self.output(output)
            if hidden { hiddenTail(features: output, count: output) }
        }

        mutating func convolution(_ input: Double, _ output: Double, count: Double) {
            parameters += input * output * 9 + output
            self.output(count)
        }

        mutating func denseDecoder(widths: [Double], outputCount: Double) {
            var previous = widths.last!
            for width in widths.reversed().dropFirst() { linear(previous, width, hidden: true); previous = width }
            linear(previous, outputCount, hidden: false)
            output(outputCount)  // sigmoid
        }

        typealias Map = (channels: Double, height: Int, width: Int)

        mutating func poolingEncoder(shape: ImageShape, widths: [Double]) -> Map {
            var map: Map = (Double(shape.channels), shape.height, shape.width)
            for width in widths {
                let count = width * Double(map.height * map.width)
                convolution(map.channels, width, count: count)
                hiddenTail(features: width, count: count)
                map = (width, map.height / 2, map.width / 2)
                output(width * Double(map.height * map.width))
            }
            return map
        }

        mutating func upsamplingDecoder(from map: Map, widths: [Double], shape: ImageShape) {
            var current = map
            for width in widths.reversed() {
                let count = width * Double(current.height * current.width)
                convolution(current.channels, width, count: count)
                hiddenTail(features: width, count: count)
                current = (width, current.height * 2, current.width * 2)
                output(width * Double(current.height * current.width))
            }
            let features = Double(shape.featureCount)
            convolution(current.channels, Double(shape.channels), count: features)
            output(features)
        }

        mutating func stridedEncoder(shape: ImageShape, widths: [Double]) -> (Map, [(Int, Int)]) {
            var map: Map = (Double(shape.channels), shape.height, shape.width)
            var sides: [(Int, Int)] = []
            for width in widths {
                sides.append((map.height, map.width))
                let inputChannels = map.channels
                map = (width, (map.height - 1) / 2 + 1, (map.width - 1) / 2 + 1)
                let count = width * Double(map.height * map.width)
                convolution(inputChannels, width, count: count)
                hiddenTail(features: width, count: count)
            }
            return (map, sides)
        }

        mutating func transposedDecoder(from map: Map, widths: [Double], sides: [(Int, Int)], shape: ImageShape) {
            var channels = map.channels
            for stage in widths.indices.reversed() {
                let outputChannels = stage > 0 ? widths[stage - 1] : Double(shape.channels)
                let count = outputChannels * Double(sides[stage].0 * sides[stage].1)
                convolution(channels, outputChannels, count: count)
                if stage > 0 { hiddenTail(features: outputChannels, count: count) } else { output(count) }
                channels = outputChannels
            }
        }

        /// The backbone's encoder body (returns its flattened feature count) and its decoder from `codeCount`.
        mutating func backbone(
            _ backbone: ModelConfiguration.Backbone, shape: ImageShape, widths: [Double], codeCount: Double
        ) -> Double {
            switch backbone {
            case .dense:
                var previous = Double(shape.featureCount)
                for width in widths { linear(previous, width, hidden: true); previous = width }
                linear(codeCount, widths.last!, hidden: true)
                denseDecoder(widths: widths, outputCount: Double(shape.featureCount))
                return widths.last!
            case .conv:
                let map = poolingEncoder(shape: shape, widths: widths)
                let featureCount = map.channels * Double(map.height * map.width)
                linear(codeCount, featureCount, hidden: true)
                upsamplingDecoder(from: map, widths: widths, shape: shape)
                return featureCount
            case .stridedConv:
                let (map, sides) = stridedEncoder(shape: shape, widths: widths)
                let featureCount = map.channels * Double(map.height * map.width)
                linear(codeCount, featureCount, hidden: true)
                transposedDecoder(from: map, widths: widths, sides: sides, shape: shape)
                return featureCount
            }
        }
    }
}
