// The file form of a corruption: `{kind: gaussian, sigma: 0.5}`, `{kind: salt-and-pepper, probability: 0.1}`, …

extension Corruption: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, sigma, clip, probability
        case minimumArea = "min_area", maximumArea = "max_area"
        case minimumAspectRatio = "min_aspect", maximumAspectRatio = "max_aspect"
        case minimumSize = "min_size", maximumSize = "max_size"
        case fill
    }

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

    public init(from decoder: any Decoder) throws {
        // A bare string is accepted for the kinds that need no parameters: `noise: none`.
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            guard name == Kind.none.rawValue else {
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "'\(name)' needs parameters; write {kind: \(name), …}")
            }
            self = .none
            return
        }
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: name) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown noise kind '\(name)' (known: \(known))")
        }
        func require<T: Decodable>(_ key: CodingKeys, _ type: T.Type) throws -> T {
            try container.decode(type, forKey: key)
        }
        func optional<T: Decodable>(_ key: CodingKeys, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(type, forKey: key)
        }
        // Keys that belong to another kind are errors too, so that `sigma` on salt-and-pepper is caught.
        let allowed: Set<CodingKeys> =
            switch kind {
            case .none: [.kind]
            case .gaussian: [.kind, .sigma, .clip]
            case .saltAndPepper: [.kind, .probability]
            case .randomErasing:
                [.kind, .probability, .minimumArea, .maximumArea, .minimumAspectRatio, .maximumAspectRatio, .fill]
            case .blockMask: [.kind, .minimumSize, .maximumSize, .fill]
            }
        if let stray = container.allKeys.first(where: { !allowed.contains($0) }) {
            throw DecodingError.dataCorruptedError(
                forKey: stray, in: container, debugDescription: "'\(stray.stringValue)' does not apply to noise kind '\(name)'")
        }
        // Ranges are checked by `validationProblem`, so that every problem of a file is reported at once.
        switch kind {
        case .none:
            self = .none
        case .gaussian:
            self = .gaussian(standardDeviation: try require(.sigma, Float.self), clip: try optional(.clip, Bool.self) ?? true)
        case .saltAndPepper:
            self = .saltAndPepper(probability: try require(.probability, Float.self))
        case .randomErasing:
            let defaults = RandomErasing()
            self = .randomErasing(
                RandomErasing(
                    probability: try optional(.probability, Float.self) ?? defaults.probability,
                    minimumArea: try optional(.minimumArea, Float.self) ?? defaults.minimumArea,
                    maximumArea: try optional(.maximumArea, Float.self) ?? defaults.maximumArea,
                    minimumAspectRatio: try optional(.minimumAspectRatio, Float.self) ?? defaults.minimumAspectRatio,
                    maximumAspectRatio: try optional(.maximumAspectRatio, Float.self) ?? defaults.maximumAspectRatio,
                    fill: try optional(.fill, Float.self) ?? defaults.fill))
        case .blockMask:
            let defaults = BlockMask()
            self = .blockMask(
                BlockMask(
                    minimumSize: try optional(.minimumSize, Int.self) ?? defaults.minimumSize,
                    maximumSize: try optional(.maximumSize, Int.self) ?? defaults.maximumSize,
                    fill: try optional(.fill, Float.self) ?? defaults.fill))
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

    /// Why these parameters are out of range, or `nil` when they are fine.
    public var validationProblem: String? {
        func isProbability(_ value: Float) -> Bool { value.isFinite && value >= 0 && value <= 1 }
        switch self {
        case .none:
            return nil
        case .gaussian(let sigma, _):
            return sigma.isFinite && sigma >= 0 ? nil : "sigma must be a finite number ≥ 0, got \(sigma)"
        case .saltAndPepper(let probability):
            return isProbability(probability) ? nil : "probability must lie in [0, 1], got \(probability)"
        case .randomErasing(let erasing):
            if !isProbability(erasing.probability) { return "probability must lie in [0, 1], got \(erasing.probability)" }
            if !(erasing.minimumArea > 0 && erasing.minimumArea <= erasing.maximumArea && erasing.maximumArea < 1) {
                return "need 0 < min_area ≤ max_area < 1, got \(erasing.minimumArea)…\(erasing.maximumArea)"
            }
            if !(erasing.minimumAspectRatio > 0 && erasing.minimumAspectRatio <= erasing.maximumAspectRatio) {
                return "need 0 < min_aspect ≤ max_aspect, got \(erasing.minimumAspectRatio)…\(erasing.maximumAspectRatio)"
            }
            return nil
        case .blockMask(let mask):
            return mask.minimumSize >= 1 && mask.minimumSize <= mask.maximumSize
                ? nil : "need 1 ≤ min_size ≤ max_size, got \(mask.minimumSize)…\(mask.maximumSize)"
        }
    }
}
