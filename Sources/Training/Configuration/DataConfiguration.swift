import Datasets

/// Which data to train on and how to split it.
///
/// For example `{name: colored-mnist, colors: per-class}` or
/// `{name: "folder:photos", channels: 3, image_size: 32, validation_count: 500}`.
///
/// The dataset options (`colors`, `color_seed`, `channels`, `image_size`) came after the first
/// release: they are written only when they differ from their defaults, so the canonical form (and
/// the trial id) of a configuration that does not use them is what it always was.
public struct DataConfiguration: Hashable, Sendable {
    /// A dataset name: `mnist`, `fashion-mnist`, `colored-mnist` or `folder:PATH`.
    public var name: String = "fashion-mnist"
    /// How many of the *last* training images are held out for validation.
    public var validationCount: Int = 10_000
    /// Train on only the first this-many of the remaining training images (`nil` = all).
    public var trainingLimit: Int?
    /// Evaluate on only the first this-many validation and test images (`nil` = all).
    public var evaluationLimit: Int?
    /// How `colored-mnist` colours its digits (`random` or `per-class`).
    public var colors: DatasetOptions.Colors = .random
    /// The seed of `colored-mnist`'s random colours.
    public var colorSeed: UInt64 = 0
    /// Channels of `folder:PATH` images: 1 (grey) or 3 (RGB).
    public var channels: Int = 1
    /// Height and width `folder:PATH` images are resized to.
    public var imageSize: Int = 28

    public init(
        name: String = "fashion-mnist", validationCount: Int = 10_000, trainingLimit: Int? = nil,
        evaluationLimit: Int? = nil, colors: DatasetOptions.Colors = .random, colorSeed: UInt64 = 0, channels: Int = 1,
        imageSize: Int = 28
    ) {
        self.name = name
        self.validationCount = validationCount
        self.trainingLimit = trainingLimit
        self.evaluationLimit = evaluationLimit
        self.colors = colors
        self.colorSeed = colorSeed
        self.channels = channels
        self.imageSize = imageSize
    }

    /// The options `DatasetLoader.load(_:options:searchPath:)` takes.
    public var datasetOptions: DatasetOptions {
        DatasetOptions(colors: colors, colorSeed: colorSeed, channels: channels, imageSize: imageSize)
    }

    /// Every problem of these settings, each naming its key.
    public var validationProblems: [String] {
        var problems: [String] = []
        if validationCount < 1 { problems.append("data.validation_count: must be ≥ 1, got \(validationCount)") }
        if let limit = trainingLimit, limit < 1 { problems.append("data.training_limit: must be ≥ 1, got \(limit)") }
        if let limit = evaluationLimit, limit < 1 { problems.append("data.evaluation_limit: must be ≥ 1, got \(limit)") }
        problems += datasetOptions.validationProblems.map { "data." + $0 }
        return problems
    }
}

extension DataConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case validationCount = "validation_count"
        case trainingLimit = "training_limit"
        case evaluationLimit = "evaluation_limit"
        case colors
        case colorSeed = "color_seed"
        case channels
        case imageSize = "image_size"
    }

    public init(from decoder: any Decoder) throws {
        // `data: mnist` is short for `data: {name: mnist}`.
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            self.init(name: name)
            return
        }
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DataConfiguration()
        self.init(
            name: try container.decodeIfPresent(String.self, forKey: .name) ?? defaults.name,
            validationCount: try container.decodeIfPresent(Int.self, forKey: .validationCount) ?? defaults.validationCount,
            trainingLimit: try container.decodeIfPresent(Int.self, forKey: .trainingLimit),
            evaluationLimit: try container.decodeIfPresent(Int.self, forKey: .evaluationLimit),
            colors: try container.decodeIfPresent(DatasetOptions.Colors.self, forKey: .colors) ?? defaults.colors,
            colorSeed: try container.decodeIfPresent(UInt64.self, forKey: .colorSeed) ?? defaults.colorSeed,
            channels: try container.decodeIfPresent(Int.self, forKey: .channels) ?? defaults.channels,
            imageSize: try container.decodeIfPresent(Int.self, forKey: .imageSize) ?? defaults.imageSize)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(validationCount, forKey: .validationCount)
        try container.encodeIfPresent(trainingLimit, forKey: .trainingLimit)
        try container.encodeIfPresent(evaluationLimit, forKey: .evaluationLimit)
        let defaults = DataConfiguration()
        if colors != defaults.colors { try container.encode(colors, forKey: .colors) }
        if colorSeed != defaults.colorSeed { try container.encode(colorSeed, forKey: .colorSeed) }
        if channels != defaults.channels { try container.encode(channels, forKey: .channels) }
        if imageSize != defaults.imageSize { try container.encode(imageSize, forKey: .imageSize) }
    }
}
