// A place in a configuration, e.g. `model.encoder[2]`, as problems name it.

/// A key path into a configuration: object keys joined by `.`, list indexes written `[i]`.
public struct ConfigurationKeyPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// One step of a key path: an object key or a list index.
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// A path of object keys only, e.g. `["noise", "sigma"]`.
    public init(keys: [String]) {
        components = keys.map(Component.key)
    }

    /// Parses `model.encoder[2]` or `noise.sigma`; `nil` for an empty component such as `noise..sigma`.
    public init?(parsing text: String) {
        var components: [Component] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var key = Substring(part)
            var indexes: [Int] = []
            while key.hasSuffix("]"), let open = key.lastIndex(of: "[") {
                guard let index = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) else { return nil }
                indexes.insert(index, at: 0)
                key = key[..<open]
            }
            guard !key.isEmpty else { return nil }
            components.append(.key(String(key)))
            components += indexes.map(Component.index)
        }
        self.components = components
    }

    /// A literal path; it must parse (`"model.encoder"`).
    public init(stringLiteral text: String) {
        guard let path = Self(parsing: text) else { preconditionFailure("not a key path: '\(text)'") }
        self = path
    }

    /// The path of a decoder's coding path.
    public init(codingPath: [any CodingKey]) {
        components = codingPath.map { key in key.intValue.map(Component.index) ?? .key(key.stringValue) }
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The object keys, when the path has no index (what a swept key is).
    public var keys: [String]? {
        var keys: [String] = []
        for component in components {
            guard case .key(let key) = component else { return nil }
            keys.append(key)
        }
        return keys
    }

    /// The last object key, if the path ends with one.
    public var lastKey: String? {
        if case .key(let key)? = components.last { key } else { nil }
    }

    public var isEmpty: Bool { components.isEmpty }

    /// Whether `self` is `other` or lies inside it.
    public func isWithin(_ other: ConfigurationKeyPath) -> Bool {
        components.count >= other.components.count
            && components.prefix(other.components.count).elementsEqual(other.components)
    }

    /// How many leading components `self` and `other` share.
    public func commonPrefixCount(with other: ConfigurationKeyPath) -> Int {
        zip(components, other.components).prefix { $0 == $1 }.count
    }

    public func appending(_ component: Component) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + [component])
    }

    public func appending(_ path: ConfigurationKeyPath) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + path.components)
    }

    /// The path below `prefix`, which `self` must lie within.
    public func dropping(_ prefix: ConfigurationKeyPath) -> ConfigurationKeyPath {
        ConfigurationKeyPath(Array(components.dropFirst(prefix.components.count)))
    }

    /// The path without its last component.
    public var parent: ConfigurationKeyPath { ConfigurationKeyPath(Array(components.dropLast())) }
}
