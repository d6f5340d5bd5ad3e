import Datasets

extension Autoencoder {
    /// The dense family: `Linear (→ BatchNorm) → ReLU (→ Dropout)` for each hidden width, a code layer with
    /// the chosen activation (→ Dropout), and the mirror image back to `featureCount` with a sigmoid output.
    ///
    /// For encoder widths `[512, 256, 128, 30]` and 784 features: 784-512-256-128-30-128-256-512-784.
    /// Weights are drawn from the seed's initialisation stream; each dropout layer has a stream of its own.
    public static func dense(featureCount: Int, configuration: ModelConfiguration, seed: UInt64) -> Autoencoder {
        requireBuildable(configuration, shape: nil)
        var builder = ModelBuilder(seed: seed, configuration: configuration)
        let widths = configuration.encoderWidths
        var encoderLayers = builder.denseEncoder(inputCount: featureCount, widths: Array(widths.dropLast()))
        encoderLayers.append(builder.linear(widths.dropLast().last ?? featureCount, widths.last!))
        encoderLayers += codeActivation(configuration.codeActivation)
        // Dropout on the code sits at the decoder's entrance, so the L1 penalty sees the code itself.
        let decoderLayers = builder.dropout() + builder.denseDecoder(widths: widths, outputCount: featureCount)
        return Autoencoder(encoder: Sequential(encoderLayers), decoder: Sequential(decoderLayers))
    }

    /// Stops on a configuration that `validationProblems` or `shapeProblems(for:)` refuses: callers check first.
    static func requireBuildable(_ configuration: ModelConfiguration, shape: ImageShape?) {
        let problems = configuration.validationProblems + (shape.map(configuration.shapeProblems(for:)) ?? [])
        precondition(problems.isEmpty, problems.map(\.description).joined(separator: "; "))
    }

    /// The layer after a code layer, if any.
    static func codeActivation(_ activation: ModelConfiguration.CodeActivation) -> [any Layer] {
        switch activation {
        case .linear: []
        case .relu: [Activation(.relu)]
        case .sigmoid: [Activation(.sigmoid)]
        }
    }

    /// Builds the model a configuration names, for images of `shape` in `classCount` classes.
    public static func make(
        for configuration: ModelConfiguration, shape: ImageShape, classCount: Int = 10, seed: UInt64
    ) -> Autoencoder {
        switch configuration.family {
        case .dense: dense(featureCount: shape.featureCount, configuration: configuration, seed: seed)
        case .conv: convolutional(shape: shape, configuration: configuration, seed: seed)
        case .stridedConv: stridedConvolutional(shape: shape, configuration: configuration, seed: seed)
        case .convLinear: convolutionalLinear(shape: shape, configuration: configuration, seed: seed)
        case .vae, .cvae: variational(shape: shape, classCount: classCount, configuration: configuration, seed: seed)
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
    /// ε of a variational model's reparameterisation.
    case latentSampling = 7
}
