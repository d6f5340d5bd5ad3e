// The one rule by which settings from several places become a training configuration: defaults fill only
// what no layer set.

import Datasets

/// Stacks layers of settings — a configuration file then flags, or a spec's `base`, a grid point and a
/// sample — and reads the result as one `TrainingConfiguration`.
///
/// The rule, the same for `aesweep train` and every point of a sweep:
/// - Later layers win, key by key: a grid point that sets `noise.sigma` keeps base's noise kind and clip.
/// - Defaults — the family's own encoder, latent and backbone; a noise kind's parameters — fill only the
///   keys that no layer set. So a point `{model.family: conv}` gets the conv model's `[32, 64]`, while an
///   `encoder` set in `base` applies to every family (and is then checked like any other).
/// - Setting `X.kind` to another kind than the one below starts object `X` afresh from this layer's keys,
///   so that parameters of one noise kind do not leak into another; setting the same kind keeps them.
/// - An object written as one value is its main key: `data: mnist` is `data.name`, `noise: none` is
///   `noise.kind`.
///
/// Every problem comes back at once, typed, with the setting that caused it when one did.
public struct ConfigurationResolver: Sendable {
    /// Which setting of which layer a problem comes from.
    public struct SettingReference: Hashable, Sendable {
        /// The layer's position, from 0 in the order applied.
        public var layer: Int
        /// The setting's position in its layer.
        public var index: Int
    }

    /// A problem, with the setting that caused it (nil when none did: a default, or the whole).
    public struct Problem: Hashable, Sendable {
        public var problem: ConfigurationProblem
        public var setting: SettingReference?
    }

    /// What resolving gave: the configuration when nothing is wrong, else every problem.
    public struct Resolution: Sendable {
        public var configuration: TrainingConfiguration?
        public var problems: [Problem]
    }

    /// Objects that may be written as their main key's value alone.
    static let shorthandKeys = ["data": "name", "noise": "kind"]
    /// The kind of each object that has kinds, when no layer sets it.
    static let defaultKinds = ["noise": TrainingConfiguration().noise.kind.rawValue]

    /// When set, training that needs more memory than this many bytes per worker is a problem.
    public var memoryBudget: Double?

    private var tree = ConfigurationValue.mapping([])
    /// The setting that gave each key path its value.
    private var origins: [(path: ConfigurationKeyPath, reference: SettingReference)] = []
    /// Settings that could not be applied (a key below a plain value).
    private var conflicts: [Problem] = []
    private var layerCount = 0
    /// Shared by copies of this resolver: each distinct top-level object is decoded once.
    private let cache = ConfigurationDecodingCache()

    public init(memoryBudget: Double? = MemorySize.defaultWorkerBudget) {
        self.memoryBudget = memoryBudget
    }

    /// A resolver with `layers` applied in order.
    public init(_ layers: [ConfigurationLayer], memoryBudget: Double? = MemorySize.defaultWorkerBudget) {
        self.init(memoryBudget: memoryBudget)
        for layer in layers { apply(layer) }
    }

    /// Puts `layer` on top of the layers applied so far.
    public mutating func apply(_ layer: ConfigurationLayer) {
        let layerIndex = layerCount
        layerCount += 1
        let settings = layer.settings.map(Self.expandingShorthand)
        // A kind change first, so that the layer's own keys of that object survive it.
        for setting in settings where setting.keys.count >= 2 && setting.keys.last == "kind" {
            let object = Array(setting.keys.dropLast())
            let current = value(at: object + ["kind"]) ?? Self.defaultKinds[object.joined(separator: ".")].map(ConfigurationValue.text)
            if current != setting.value { remove(object) }
        }
        for (index, setting) in settings.enumerated() {
            let reference = SettingReference(layer: layerIndex, index: index)
            if let blocked = set(setting.value, at: setting.keys[...], in: &tree) {
                conflicts.append(
                    Problem(
                        problem: ConfigurationProblem(
                            setting.keyPath, "cannot be set: \(blocked.joined(separator: ".")) holds a value, not an object"),
                        setting: reference))
                continue
            }
            let path = setting.keyPath
            origins.removeAll { $0.path.isWithin(path) }
            origins.append((path, reference))
        }
    }

    /// The configuration of the layers applied, or every problem with it.
    public func resolve() -> Resolution {
        let collector = ConfigurationProblemCollector()
        let decoded = tree.decode(TrainingConfiguration.self, collecting: collector, cache: cache)
        var problems = collector.problems
        if let decoded {
            problems += decoded.validationProblems
            if problems.isEmpty, let memoryBudget { problems += decoded.memoryProblems(budget: memoryBudget) }
        }
        let attributed = conflicts + problems.map { Problem(problem: $0, setting: origin(of: $0)) }
        return Resolution(configuration: attributed.isEmpty ? decoded : nil, problems: attributed)
    }

    /// The settings as one tree, defaults not filled in.
    public var settingsTree: ConfigurationValue { tree }

    // MARK: - Attribution

    /// The setting a problem is about: the one that set its place or an object containing it; else one set
    /// inside it (preferring a key the message names); else the nearest setting sharing part of its path
    /// (`model.family` for a default `model.encoder` the family cannot use).
    private func origin(of problem: ConfigurationProblem) -> SettingReference? {
        let path = problem.keyPath
        if let owner = origins.filter({ path.isWithin($0.path) }).max(by: { $0.path.components.count < $1.path.components.count }) {
            return owner.reference
        }
        if !path.isEmpty {
            let inside = origins.filter { $0.path.isWithin(path) }
            if let named = inside.last(where: { Self.mentions(problem.message, $0.path.lastKey ?? "") }) ?? inside.last {
                return named.reference
            }
        }
        let nearest = origins.map { (origin: $0, shared: $0.path.commonPrefixCount(with: path)) }
            .filter { $0.shared > 0 }
            .max { ($0.shared, $0.origin.reference.layer) < ($1.shared, $1.origin.reference.layer) }
        return nearest?.origin.reference
    }

    /// Whether `message` names `key` as a whole word (`min_area` in `need 0 < min_area ≤ max_area`).
    static func mentions(_ message: String, _ key: String) -> Bool {
        guard !key.isEmpty else { return false }
        func isWordCharacter(_ character: Character?) -> Bool {
            character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
        }
        var searchStart = message.startIndex
        while let range = message.range(of: key, range: searchStart..<message.endIndex) {
            let before = range.lowerBound == message.startIndex ? nil : message[message.index(before: range.lowerBound)]
            let after = range.upperBound == message.endIndex ? nil : message[range.upperBound]
            if !isWordCharacter(before) && !isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    // MARK: - The tree

    /// `data: mnist` as `data.name: mnist`.
    private static func expandingShorthand(_ setting: ConfigurationSetting) -> ConfigurationSetting {
        guard setting.keys.count == 1, let main = shorthandKeys[setting.keys[0]] else { return setting }
        switch setting.value {
        case .text, .number, .boolean: return ConfigurationSetting(keys: setting.keys + [main], value: setting.value)
        default: return setting
        }
    }

    private func value(at keys: [String]) -> ConfigurationValue? {
        var current: ConfigurationValue? = tree
        for key in keys { current = current?[key] }
        return current
    }

    private mutating func remove(_ keys: [String]) {
        guard let last = keys.last else { return }
        let parent = Array(keys.dropLast())
        guard let container = value(at: parent), container[last] != nil else { return }
        _ = set(container.removing(last), at: parent[...], in: &tree)
        let path = ConfigurationKeyPath(keys: keys)
        origins.removeAll { $0.path.isWithin(path) }
    }

    /// Sets `value` at `keys` below `node`, creating mappings on the way; returns the keys of a plain value
    /// in the way (and changes nothing) when there is one.
    private func set(_ value: ConfigurationValue, at keys: ArraySlice<String>, in node: inout ConfigurationValue) -> [String]? {
        guard let key = keys.first else {
            node = value
            return nil
        }
        guard node.isMapping else { return [] }
        var child = node[key] ?? .mapping([])
        if keys.count > 1, !child.isMapping { return [key] }
        if let blocked = set(value, at: keys.dropFirst(), in: &child) { return [key] + blocked }
        node = node.setting(key, to: child)!
        return nil
    }
}
