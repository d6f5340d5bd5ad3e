// How dataset options are named in configuration files (the keys themselves are `DataConfiguration`'s).

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
