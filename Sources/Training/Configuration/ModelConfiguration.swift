import Datasets

/// The architecture of the autoencoder to train.
public struct ModelConfiguration: Hashable, Sendable {
    /// The model families.
    public enum Family: String, Codable, CaseIterable, Sendable {
        /// Linear layers; `encoder` lists their widths.
        case dense
        /// The classic Keras denoiser: for `encoder` widths `[32, 64]`, Conv(32)+ReLU, MaxPool, Conv(64)+ReLU,
        /// MaxPool, then Conv(64)+ReLU, Upsample, Conv(32)+ReLU, Upsample, Conv(channels)+sigmoid; 3×3, same
        /// padding. Image sides must be divisible by 2^(number of widths).
        case conv
    }

    /// The code (bottleneck) layer's activation.
    public enum CodeActivation: String, Codable, CaseIterable, Sendable {
        case linear, relu, sigmoid
    }

    public var family: Family = .dense
    /// Widths of the encoder's layers, the last being the code size; the decoder mirrors them.
    /// `[512, 256, 128, 30]` is the classic deep model; `[256]` a single hidden layer.
    public var encoderWidths: [Int] = [512, 256, 128, 30]
    public var codeActivation: CodeActivation = .linear
    /// Dropout probability after every hidden layer (0 = none).
    public var dropout: Float = 0
    /// λ of the L1 activity penalty on the code (0 = none); see `ActivityPenalty`.
    public var sparsity: Float = 0

    public init(
        family: Family = .dense, encoderWidths: [Int] = [512, 256, 128, 30], codeActivation: CodeActivation = .linear,
        dropout: Float = 0, sparsity: Float = 0
    ) {
        self.family = family
        self.encoderWidths = encoderWidths
        self.codeActivation = codeActivation
        self.dropout = dropout
        self.sparsity = sparsity
    }

    /// Every reason the configuration cannot be built, each naming its key.
    public var validationProblems: [String] {
        var problems: [String] = []
        if encoderWidths.isEmpty { problems.append("model.encoder: needs at least one layer width") }
        if let bad = encoderWidths.first(where: { $0 < 1 }) { problems.append("model.encoder: width \(bad) must be ≥ 1") }
        if !(dropout >= 0 && dropout < 1) { problems.append("model.dropout: must lie in [0, 1), got \(dropout)") }
        if !(sparsity >= 0 && sparsity.isFinite) {
            problems.append("model.sparsity: must be a finite number ≥ 0, got \(sparsity)")
        }
        return problems
    }
}

extension ModelConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, encoder
        case codeActivation = "code_activation"
        case dropout, sparsity
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ModelConfiguration()
        family = try container.decodeIfPresent(Family.self, forKey: .family) ?? defaults.family
        encoderWidths = try container.decodeIfPresent([Int].self, forKey: .encoder) ?? defaults.encoderWidths
        codeActivation = try container.decodeIfPresent(CodeActivation.self, forKey: .codeActivation) ?? defaults.codeActivation
        dropout = try container.decodeIfPresent(Float.self, forKey: .dropout) ?? defaults.dropout
        sparsity = try container.decodeIfPresent(Float.self, forKey: .sparsity) ?? defaults.sparsity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(family, forKey: .family)
        try container.encode(encoderWidths, forKey: .encoder)
        try container.encode(codeActivation, forKey: .codeActivation)
        try container.encode(dropout, forKey: .dropout)
        try container.encode(sparsity, forKey: .sparsity)
    }
}
