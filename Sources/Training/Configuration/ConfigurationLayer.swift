import Datasets

/// One setting: a key path of the configuration file form and the value given to it, e.g. `noise.sigma: 0.3`.
public struct ConfigurationSetting: Hashable, Sendable {
    public var keys: [String]
    public var value: ConfigurationValue

    public init(keys: [String], value: ConfigurationValue) {
        self.keys = keys
        self.value = value
    }

    /// `ConfigurationSetting("model.encoder", .list([.integer(256)]))`; the path must be dotted keys.
    public init(_ keyPath: String, _ value: ConfigurationValue) {
        guard let keys = ConfigurationKeyPath(parsing: keyPath)?.keys else {
            preconditionFailure("not a key path of object keys: '\(keyPath)'")
        }
        self.init(keys: keys, value: value)
    }

    public var keyPath: ConfigurationKeyPath { ConfigurationKeyPath(keys: keys) }
}

/// Settings given together by one source: a configuration file, a sweep spec's `base`, a grid point,
/// a sample, command-line flags. `ConfigurationResolver` stacks layers, later ones winning.
public struct ConfigurationLayer: Sendable {
    public var settings: [ConfigurationSetting]

    public init(_ settings: [ConfigurationSetting] = []) {
        self.settings = settings
    }

    /// The settings of a configuration written as a tree (a file, a spec's `base`): one per value that is
    /// not a mapping, in the order written; a list is one value. An empty mapping sets nothing.
    public init(tree: ConfigurationValue) throws(ConfigurationProblem) {
        switch tree {
        case .null:
            self.init()
        case .mapping:
            var settings: [ConfigurationSetting] = []
            Self.flatten(tree, below: [], into: &settings)
            self.init(settings)
        default:
            throw ConfigurationProblem(
                ConfigurationKeyPath(), "a configuration is a mapping of keys (data, model, noise, …) to values")
        }
    }

    private static func flatten(_ value: ConfigurationValue, below keys: [String], into settings: inout [ConfigurationSetting]) {
        guard case .mapping(let entries) = value, !keys.isEmpty || !entries.isEmpty else {
            if !keys.isEmpty { settings.append(ConfigurationSetting(keys: keys, value: value)) }
            return
        }
        for entry in entries { flatten(entry.value, below: keys + [entry.key], into: &settings) }
    }

    public mutating func append(_ setting: ConfigurationSetting) {
        settings.append(setting)
    }
}
