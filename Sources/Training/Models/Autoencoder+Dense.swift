import Datasets

extension Autoencoder {
    /// The dense family: `Linear → ReLU (→ Dropout)` for each hidden width, a code layer with the chosen
    /// activation (→ Dropout), and the mirror image back to `featureCount` with a sigmoid output.
    ///
    /// For encoder widths `[512, 256, 128, 30]` and 784 features: 784-512-256-128-30-128-256-512-784.
    /// Weights are drawn from the seed's initialisation stream; each dropout layer has a stream of its own.
    public static func dense(featureCount: Int, configuration: ModelConfiguration, seed: UInt64) -> Autoencoder {
        precondition(configuration.validationProblems.isEmpty, configuration.validationProblems.joined(separator: "; "))
        var generator = SeededGenerator(seed: seed, stream: RandomStream.initialisation.rawValue)
        var dropoutCount: UInt64 = 0
        func dropout() -> [any Layer] {
            guard configuration.dropout > 0 else { return [] }
            dropoutCount += 1
            let stream = SeededGenerator(seed: seed, stream: RandomStream.dropout.rawValue << 16 | dropoutCount)
            return [Dropout(probability: configuration.dropout, generator: stream)]
        }
        let widths = configuration.encoderWidths
        var encoderLayers: [any Layer] = []
        var previous = featureCount
        for (position, width) in widths.enumerated() {
            encoderLayers.append(Linear(inputCount: previous, outputCount: width, generator: &generator))
            if position < widths.count - 1 {
                encoderLayers.append(Activation(.relu))
                encoderLayers += dropout()
            } else {
                switch configuration.codeActivation {
                case .linear: break
                case .relu: encoderLayers.append(Activation(.relu))
                case .sigmoid: encoderLayers.append(Activation(.sigmoid))
                }
            }
            previous = width
        }
        // Dropout on the code sits at the decoder's entrance, so the L1 penalty sees the code itself.
        var decoderLayers: [any Layer] = dropout()
        for width in widths.reversed().dropFirst() {
            decoderLayers.append(Linear(inputCount: previous, outputCount: width, generator: &generator))
            decoderLayers.append(Activation(.relu))
            decoderLayers += dropout()
            previous = width
        }
        decoderLayers.append(Linear(inputCount: previous, outputCount: featureCount, generator: &generator))
        decoderLayers.append(Activation(.sigmoid))
        return Autoencoder(encoder: Sequential(encoderLayers), decoder: Sequential(decoderLayers))
    }

    /// Builds the model a configuration names.
    public static func make(
        for configuration: ModelConfiguration, shape: ImageShape, seed: UInt64
    ) -> Autoencoder {
        switch configuration.family {
        case .dense:
            return dense(featureCount: shape.featureCount, configuration: configuration, seed: seed)
        case .conv:
            return convolutional(shape: shape, configuration: configuration, seed: seed)
        }
    }
}

/// The independent random streams of one training run, all derived from its seed.
public enum RandomStream: UInt64, Sendable {
    case initialisation = 1
    case shuffling = 2
    case trainingNoise = 3
    case dropout = 4
    case validationNoise = 5
    case testNoise = 6
}
