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

    /// What the name refers to, when it names a dataset aesweep knows.
    public var reference: DatasetReference? { try? DatasetReference(parsing: name) }

    /// The shape of the images, known from the name and options without reading a file; nil for an
    /// unknown name.
    public var imageShape: ImageShape? { reference?.imageShape(options: datasetOptions) }

    /// A problem when the name is not one aesweep knows, at `name`.
    public var nameProblems: [ConfigurationProblem] {
        guard reference == nil else { return [] }
        let known = DatasetReference.knownNames
        return [
            .init(
                "name",
                "unknown dataset '\(name)' (known: \(known.joined(separator: ", ")))"
                    + ClosestName.suggestion(for: name, among: known))
        ]
    }

    /// Every problem of these settings but the name, each at its key within `data`.
    public var validationProblems: [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if validationCount < 1 { problems.append(.init("validation_count", "must be ≥ 1, got \(validationCount)")) }
        if let limit = trainingLimit, limit < 1 { problems.append(.init("training_limit", "must be ≥ 1, got \(limit)")) }
        if let limit = evaluationLimit, limit < 1 { problems.append(.init("evaluation_limit", "must be ≥ 1, got \(limit)")) }
        problems += datasetOptions.validationProblems
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
        let settings = try decoder.settings(keyedBy: CodingKeys.self)
        let defaults = DataConfiguration()
        self.init(
            name: try settings.value(.name, default: defaults.name),
            validationCount: try settings.value(.validationCount, default: defaults.validationCount),
            trainingLimit: try settings.optional(.trainingLimit),
            evaluationLimit: try settings.optional(.evaluationLimit),
            colors: try settings.choice(.colors, "colors", default: defaults.colors),
            colorSeed: try settings.value(.colorSeed, default: defaults.colorSeed),
            channels: try settings.value(.channels, default: defaults.channels),
            imageSize: try settings.value(.imageSize, default: defaults.imageSize))
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
