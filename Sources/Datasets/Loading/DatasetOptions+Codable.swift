// Options in configuration files: snake_case keys, every key optional, unknown keys rejected.

extension DatasetOptions: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case colors
        case colorSeed = "color_seed"
        case channels
        case imageSize = "image_size"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DatasetOptions()
        self.init(
            colors: try container.decodeIfPresent(Colors.self, forKey: .colors) ?? defaults.colors,
            colorSeed: try container.decodeIfPresent(UInt64.self, forKey: .colorSeed) ?? defaults.colorSeed,
            channels: try container.decodeIfPresent(Int.self, forKey: .channels) ?? defaults.channels,
            imageSize: try container.decodeIfPresent(Int.self, forKey: .imageSize) ?? defaults.imageSize)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(colors, forKey: .colors)
        try container.encode(colorSeed, forKey: .colorSeed)
        try container.encode(channels, forKey: .channels)
        try container.encode(imageSize, forKey: .imageSize)
    }
}

extension DatasetOptions.Colors: Codable {
    /// Decodes `random` or `per-class`; anything else is an error listing both.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let colors = Self(rawValue: text) else {
            let expected = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "unknown colors '\(text)' (expected one of: \(expected))"))
        }
        self = colors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
