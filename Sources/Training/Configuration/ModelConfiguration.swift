import Datasets

/// The architecture of the autoencoder to train.
///
/// Keys added after the first release (`latent`, `backbone`, `condition`, `beta`, `batch_norm`) are written
/// only when they differ from their defaults, so the canonical form (and the trial id) of a configuration
/// that does not use them is what it always was.
public struct ModelConfiguration: Hashable, Sendable {
    /// The model families.
    public enum Family: String, Codable, CaseIterable, Sendable {
        /// Linear layers; `encoder` lists their widths, the last being the code.
        case dense
        /// The classic Keras denoiser: for `encoder` widths `[32, 64]`, Conv(32)+ReLU, MaxPool, Conv(64)+ReLU,
        /// MaxPool, then Conv(64)+ReLU, Upsample, Conv(32)+ReLU, Upsample, Conv(channels)+sigmoid; 3×3, same
        /// padding. Image sides must be divisible by 2^(number of widths).
        case conv
        /// 3×3 stride-2 convolutions (`encoder` = `[128, 64, 32, 16]`: 28 → 14 → 7 → 4 → 2), mirrored by
        /// stride-2 transposed convolutions back to the image size, sigmoid output.
        case stridedConv = "strided-conv"
        /// A convolutional encoder (`backbone` conv or strided-conv), flattened into a linear layer to
        /// `latent` units, and the mirror image.
        case convLinear = "conv-linear"
        /// A variational autoencoder on the `backbone` (dense, conv or strided-conv): μ and log σ² of a
        /// `latent`-dimensional Gaussian, the reparameterisation trick, loss = reconstruction + β·KL.
        case vae
        /// A conditional VAE: encoder and decoder also see the `condition` (the label, or the corrupted
        /// image for inpainting).
        case cvae

        /// Whether the family has a variational bottleneck.
        public var isVariational: Bool { self == .vae || self == .cvae }

        /// Whether the family reads `backbone`.
        public var usesBackbone: Bool { self == .convLinear || isVariational }
    }

    /// The layers a `conv-linear`, `vae` or `cvae` model is built from.
    public enum Backbone: String, Codable, CaseIterable, Sendable {
        /// Linear layers of the `encoder` widths.
        case dense
        /// Same-padded convolutions with max pooling (as the `conv` family).
        case conv
        /// Stride-2 convolutions and transposed convolutions (as the `strided-conv` family).
        case stridedConv = "strided-conv"
    }

    /// What a `cvae` is conditioned on.
    public enum Condition: String, Codable, CaseIterable, Sendable {
        /// The class label, one-hot. The encoder sees the corrupted image and the label.
        case label
        /// The corrupted image (inpainting): the encoder sees the clean and the corrupted image while
        /// training; at evaluation the decoder completes the corrupted image from the prior's mean code.
        case corrupted
    }

    /// The code (bottleneck) layer's activation.
    public enum CodeActivation: String, Codable, CaseIterable, Sendable {
        case linear, relu, sigmoid
    }

    public var family: Family
    /// Widths of the encoder's layers; the decoder mirrors them. For `dense`, the last is the code size:
    /// `[512, 256, 128, 30]` is the classic deep model, `[256]` a single hidden layer. For the convolutional
    /// families they are channel counts. Each family has its own default (`defaultEncoderWidths`).
    public var encoderWidths: [Int]
    public var codeActivation: CodeActivation
    /// Dropout probability after every hidden layer (0 = none).
    public var dropout: Float
    /// λ of the L1 activity penalty on the code (0 = none); see `ActivityPenalty`.
    public var sparsity: Float
    /// The code size of `conv-linear`, `vae` and `cvae`.
    public var latent: Int
    /// What `conv-linear`, `vae` and `cvae` are built from.
    public var backbone: Backbone
    /// What a `cvae` is conditioned on.
    public var condition: Condition
    /// The weight β of the KL term of `vae` and `cvae` (β = 1 is the evidence lower bound).
    public var beta: Float
    /// Batch normalisation after every hidden linear or convolutional layer, before its activation.
    public var batchNorm: Bool

    public init(
        family: Family = .dense, encoderWidths: [Int]? = nil, codeActivation: CodeActivation = .linear,
        dropout: Float = 0, sparsity: Float = 0, latent: Int = 16, backbone: Backbone? = nil,
        condition: Condition = .corrupted, beta: Float = 1, batchNorm: Bool = false
    ) {
        let backbone = backbone ?? (family == .convLinear ? .conv : .dense)
        self.family = family
        self.encoderWidths = encoderWidths ?? Self.defaultEncoderWidths(family: family, backbone: backbone)
        self.codeActivation = codeActivation
        self.dropout = dropout
        self.sparsity = sparsity
        self.latent = latent
        self.backbone = backbone
        self.condition = condition
        self.beta = beta
        self.batchNorm = batchNorm
    }

    /// The widths a family uses when `encoder` is not given.
    public static func defaultEncoderWidths(family: Family, backbone: Backbone) -> [Int] {
        switch family {
        case .dense: [512, 256, 128, 30]
        case .conv: [32, 64]
        case .stridedConv: [128, 64, 32, 16]
        case .convLinear, .vae, .cvae:
            switch backbone {
            case .dense: [512, 256]
            case .conv: [32, 64]
            case .stridedConv: [128, 64, 32, 16]
            }
        }
    }

    /// The layer kind the encoder is made of.
    public var effectiveBackbone: Backbone {
        switch family {
        case .dense: .dense
        case .conv: .conv
        case .stridedConv: .stridedConv
        case .convLinear, .vae, .cvae: backbone
        }
    }

    /// Every reason the configuration cannot be built, each at its key within `model`.
    public var validationProblems: [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if encoderWidths.isEmpty { problems.append(.init("encoder", "needs at least one layer width")) }
        if let bad = encoderWidths.first(where: { $0 < 1 }) { problems.append(.init("encoder", "width \(bad) must be ≥ 1")) }
        if !(dropout >= 0 && dropout < 1) { problems.append(.init("dropout", "must lie in [0, 1), got \(dropout)")) }
        if !(sparsity >= 0 && sparsity.isFinite) {
            problems.append(.init("sparsity", "must be a finite number ≥ 0, got \(sparsity)"))
        }
        if family.isVariational, sparsity > 0 {
            problems.append(
                .init(
                    "sparsity",
                    "the L1 activity penalty is not used by family \(family.rawValue) (β·KL regularises its code)"))
        }
        if latent < 1 { problems.append(.init("latent", "must be ≥ 1, got \(latent)")) }
        if !(beta >= 0 && beta.isFinite) { problems.append(.init("beta", "must be a finite number ≥ 0, got \(beta)")) }
        if family == .convLinear, backbone == .dense {
            problems.append(.init("backbone", "conv-linear needs a convolutional backbone (conv or strided-conv), got dense"))
        }
        return problems
    }

    /// The problems with images of `shape` (sides the poolings cannot halve, stride-2 stages that shrink
    /// them away, non-square images for the strided families), each at its key within `model`.
    public func shapeProblems(for shape: ImageShape) -> [ConfigurationProblem] {
        guard !encoderWidths.isEmpty else { return [] }
        switch effectiveBackbone {
        case .dense:
            return []
        case .conv:
            // Beyond 62 stages the shift overflows; no image has 2^62 pixels a side anyway.
            let scale = encoderWidths.count < 62 ? 1 << encoderWidths.count : Int.max
            guard shape.height % scale == 0, shape.width % scale == 0 else {
                return [
                    .init(
                        "encoder",
                        "\(encoderWidths.count) max-pooling stage(s) need image sides divisible by \(scale), the "
                            + "images are \(shape.height)×\(shape.width)\(familyNote)")
                ]
            }
            return []
        case .stridedConv:
            guard shape.height == shape.width else {
                return [
                    .init(
                        "family",
                        "\(family.rawValue) with stride-2 stages needs square images, the images are "
                            + "\(shape.height)×\(shape.width)")
                ]
            }
            var (height, width) = (shape.height, shape.width)
            for _ in encoderWidths {
                guard height >= 2, width >= 2 else {
                    return [
                        .init(
                            "encoder",
                            "\(encoderWidths.count) stride-2 stages shrink \(shape.height)×\(shape.width) images below "
                                + "1×1\(familyNote)")
                    ]
                }
                (height, width) = ((height - 1) / 2 + 1, (width - 1) / 2 + 1)
            }
            return []
        }
    }

    /// ` (family conv, encoder [512, 256, 128, 30])`: what the shape problems are about.
    private var familyNote: String {
        " (family \(family.rawValue)\(family.usesBackbone ? " on \(backbone.rawValue)" : ""), encoder \(encoderWidths))"
    }

    /// The model in a few words: `dense [512, 256, 128, 30]`, `conv [32, 64]`, `vae conv [32, 64] latent 16`,
    /// `cvae label dense [512, 256] latent 16 β 0.5`, with batch norm, dropout and λ when set.
    public var summary: String {
        var words = [family.rawValue]
        if family == .cvae { words.append(condition.rawValue) }
        if family.usesBackbone { words.append(backbone.rawValue) }
        words.append("[" + encoderWidths.map(String.init).joined(separator: ", ") + "]")
        if family == .convLinear || family.isVariational { words.append("latent \(latent)") }
        if family.isVariational, beta != 1 { words.append("β \(beta)") }
        if !family.isVariational, family != .conv, family != .stridedConv, codeActivation != .linear {
            words.append("\(codeActivation.rawValue) code")
        }
        if batchNorm { words.append("batch norm") }
        if dropout > 0 { words.append("dropout \(dropout)") }
        if sparsity > 0 { words.append("λ \(sparsity)") }
        return words.joined(separator: " ")
    }
}

extension ModelConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, encoder
        case codeActivation = "code_activation"
        case dropout, sparsity, latent, backbone, condition, beta
        case batchNorm = "batch_norm"
    }

    /// Reads the keys given; a missing one takes the family's default, as `init` gives it (and `encode`
    /// leaves it out): `{family: conv}` is the conv model with its own widths.
    public init(from decoder: any Decoder) throws {
        let settings = try decoder.settings(keyedBy: CodingKeys.self)
        let family = try settings.choice(.family, "model family", default: Family.dense)
        let defaults = ModelConfiguration(family: family)
        let backbone: Backbone? =
            settings.contains(.backbone) ? try settings.choice(.backbone, "backbone", default: defaults.backbone) : nil
        self.init(
            family: family,
            encoderWidths: try settings.optional(.encoder),
            codeActivation: try settings.choice(.codeActivation, "code activation", default: defaults.codeActivation),
            dropout: try settings.value(.dropout, default: defaults.dropout),
            sparsity: try settings.value(.sparsity, default: defaults.sparsity),
            latent: try settings.value(.latent, default: defaults.latent),
            backbone: backbone,
            condition: try settings.choice(.condition, "condition", default: defaults.condition),
            beta: try settings.value(.beta, default: defaults.beta),
            batchNorm: try settings.value(.batchNorm, default: defaults.batchNorm))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(family, forKey: .family)
        try container.encode(encoderWidths, forKey: .encoder)
        try container.encode(codeActivation, forKey: .codeActivation)
        try container.encode(dropout, forKey: .dropout)
        try container.encode(sparsity, forKey: .sparsity)
        let defaults = ModelConfiguration(family: family)
        if latent != defaults.latent { try container.encode(latent, forKey: .latent) }
        if backbone != defaults.backbone { try container.encode(backbone, forKey: .backbone) }
        if condition != defaults.condition { try container.encode(condition, forKey: .condition) }
        if beta != defaults.beta { try container.encode(beta, forKey: .beta) }
        if batchNorm != defaults.batchNorm { try container.encode(batchNorm, forKey: .batchNorm) }
    }
}
