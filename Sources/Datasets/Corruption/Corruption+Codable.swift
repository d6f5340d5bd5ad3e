// The file form of a corruption: `{kind: gaussian, sigma: 0.5}`, `{kind: salt-and-pepper, probability: 0.1}`, …

extension Corruption: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, sigma, clip, probability
        case minimumArea = "min_area", maximumArea = "max_area"
        case minimumAspectRatio = "min_aspect", maximumAspectRatio = "max_aspect"
        case minimumSize = "min_size", maximumSize = "max_size"
        case fill
    }

    /// The parameters that set how strong a corruption is, in files, in order of preference for an axis of
    /// noise levels: `sigma` (Gaussian), `probability` (salt-and-pepper, random erasing).
    public static let strengthKeys = [CodingKeys.sigma.rawValue, CodingKeys.probability.rawValue]

    /// The `kind` names used in files.
    public enum Kind: String, CaseIterable, Sendable {
        case none, gaussian
        case saltAndPepper = "salt-and-pepper"
        case randomErasing = "random-erasing"
        case blockMask = "block-mask"
    }

    public var kind: Kind {
        switch self {
        case .none: .none
        case .gaussian: .gaussian
        case .saltAndPepper: .saltAndPepper
        case .randomErasing: .randomErasing
        case .blockMask: .blockMask
        }
    }

    /// The kind a configuration that names none has, and the parameters a kind takes when they are not
    /// given: Gaussian σ = 0.5 (clipped), salt-and-pepper p = 0.1, torchvision's random erasing, 8–14 px
    /// block masks.
    public static func defaults(of kind: Kind) -> Corruption {
        switch kind {
        case .none: .none
        case .gaussian: .gaussian(standardDeviation: 0.5, clip: true)
        case .saltAndPepper: .saltAndPepper(probability: 0.1)
        case .randomErasing: .randomErasing(RandomErasing())
        case .blockMask: .blockMask(BlockMask())
        }
    }

    /// The keys each kind reads, `kind` included.
    static func keys(of kind: Kind) -> [CodingKeys] {
        switch kind {
        case .none: [.kind]
        case .gaussian: [.kind, .sigma, .clip]
        case .saltAndPepper: [.kind, .probability]
        case .randomErasing:
            [.kind, .probability, .minimumArea, .maximumArea, .minimumAspectRatio, .maximumAspectRatio, .fill]
        case .blockMask: [.kind, .minimumSize, .maximumSize, .fill]
        }
    }

    /// Reads `{kind: gaussian, sigma: 0.3}`; a missing parameter takes the kind's default
    /// (`defaults(of:)`), a missing kind is Gaussian. A key of another kind (`sigma` with salt-and-pepper)
    /// is a problem, so that it is not silently ignored; ranges are checked by `validationProblems`.
    public init(from decoder: any Decoder) throws {
        let settings = try decoder.settings(keyedBy: CodingKeys.self)
        let kind = try settings.choice(.kind, "noise kind", default: Kind.gaussian)
        let allowed = Self.keys(of: kind)
        for key in CodingKeys.allCases where settings.contains(key) && !allowed.contains(key) {
            try settings.report(key, "does not apply to noise kind '\(kind.rawValue)' (it takes: "
                + allowed.dropFirst().map(\.stringValue).joined(separator: ", ") + ")")
        }
        switch Self.defaults(of: kind) {
        case .none:
            self = .none
        case .gaussian(let sigma, let clip):
            self = .gaussian(
                standardDeviation: try settings.value(.sigma, default: sigma), clip: try settings.value(.clip, default: clip))
        case .saltAndPepper(let probability):
            self = .saltAndPepper(probability: try settings.value(.probability, default: probability))
        case .randomErasing(let defaults):
            self = .randomErasing(
                RandomErasing(
                    probability: try settings.value(.probability, default: defaults.probability),
                    minimumArea: try settings.value(.minimumArea, default: defaults.minimumArea),
                    maximumArea: try settings.value(.maximumArea, default: defaults.maximumArea),
                    minimumAspectRatio: try settings.value(.minimumAspectRatio, default: defaults.minimumAspectRatio),
                    maximumAspectRatio: try settings.value(.maximumAspectRatio, default: defaults.maximumAspectRatio),
                    fill: try settings.value(.fill, default: defaults.fill)))
        case .blockMask(let defaults):
            self = .blockMask(
                BlockMask(
                    minimumSize: try settings.value(.minimumSize, default: defaults.minimumSize),
                    maximumSize: try settings.value(.maximumSize, default: defaults.maximumSize),
                    fill: try settings.value(.fill, default: defaults.fill)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        switch self {
        case .none: break
        case .gaussian(let sigma, let clip):
            try container.encode(sigma, forKey: .sigma)
            try container.encode(clip, forKey: .clip)
        case .saltAndPepper(let probability):
            try container.encode(probability, forKey: .probability)
        case .randomErasing(let erasing):
            try container.encode(erasing.probability, forKey: .probability)
            try container.encode(erasing.minimumArea, forKey: .minimumArea)
            try container.encode(erasing.maximumArea, forKey: .maximumArea)
            try container.encode(erasing.minimumAspectRatio, forKey: .minimumAspectRatio)
            try container.encode(erasing.maximumAspectRatio, forKey: .maximumAspectRatio)
            try container.encode(erasing.fill, forKey: .fill)
        case .blockMask(let mask):
            try container.encode(mask.minimumSize, forKey: .minimumSize)
            try container.encode(mask.maximumSize, forKey: .maximumSize)
            try container.encode(mask.fill, forKey: .fill)
        }
    }

    /// Every parameter out of range, each at its key (`sigma`, `min_area`, …) within the noise object.
    public var validationProblems: [ConfigurationProblem] {
        func isProbability(_ value: Float) -> Bool { value.isFinite && value >= 0 && value <= 1 }
        var problems: [ConfigurationProblem] = []
        switch self {
        case .none:
            break
        case .gaussian(let sigma, _):
            if !(sigma.isFinite && sigma >= 0) { problems.append(.init("sigma", "must be a finite number ≥ 0, got \(sigma)")) }
        case .saltAndPepper(let probability):
            if !isProbability(probability) {
                problems.append(.init("probability", "must lie in [0, 1], got \(probability)"))
            }
        case .randomErasing(let erasing):
            if !isProbability(erasing.probability) {
                problems.append(.init("probability", "must lie in [0, 1], got \(erasing.probability)"))
            }
            if !(erasing.minimumArea > 0 && erasing.minimumArea <= erasing.maximumArea && erasing.maximumArea < 1) {
                let key: ConfigurationKeyPath = erasing.minimumArea > 0 && erasing.maximumArea >= 1 ? "max_area" : "min_area"
                problems.append(
                    .init(key, "need 0 < min_area ≤ max_area < 1, got \(erasing.minimumArea)…\(erasing.maximumArea)"))
            }
            if !(erasing.minimumAspectRatio > 0 && erasing.minimumAspectRatio <= erasing.maximumAspectRatio) {
                let key: ConfigurationKeyPath = "min_aspect"
                problems.append(
                    .init(
                        key,
                        "need 0 < min_aspect ≤ max_aspect, got \(erasing.minimumAspectRatio)…\(erasing.maximumAspectRatio)"))
            }
        case .blockMask(let mask):
            if !(mask.minimumSize >= 1 && mask.minimumSize <= mask.maximumSize) {
                let key: ConfigurationKeyPath = "min_size"
                problems.append(.init(key, "need 1 ≤ min_size ≤ max_size, got \(mask.minimumSize)…\(mask.maximumSize)"))
            }
        }
        return problems
    }
}
