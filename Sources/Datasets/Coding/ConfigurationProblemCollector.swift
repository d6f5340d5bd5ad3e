import Synchronization

/// Gathers every problem of a configuration a person wrote, so that one reading reports them all.
///
/// Put in a decoder's `userInfo` under `CodingUserInfoKey.configurationProblems`: the configuration types'
/// decoders then record a problem, substitute the default and go on, where without it they throw at the
/// first (as machine-written JSON from the store or the wire wants).
public final class ConfigurationProblemCollector: Sendable {
    private let recorded = Mutex<[ConfigurationProblem]>([])

    public init() {}

    public func record(_ problem: ConfigurationProblem) {
        recorded.withLock { $0.append(problem) }
    }

    /// The problems in the order found.
    public var problems: [ConfigurationProblem] { recorded.withLock { $0 } }
}

extension CodingUserInfoKey {
    /// Where a `ConfigurationProblemCollector` goes in `userInfo`.
    public static let configurationProblems = CodingUserInfoKey(rawValue: "aesweep.configuration-problems")!
}

extension Decoder {
    /// The collector that decoding records problems in, when it reports every problem rather than the first.
    public var configurationProblems: ConfigurationProblemCollector? {
        userInfo[.configurationProblems] as? ConfigurationProblemCollector
    }

    /// The settings of this object, after checking its keys: an unknown key is recorded (each of them,
    /// when collecting) or thrown, with the keys it could have been.
    public func settings<Key: CodingKey & CaseIterable>(keyedBy keys: Key.Type) throws -> SettingsContainer<Key> {
        let present = try container(keyedBy: AnyCodingKey.self)
        let known = Key.allCases.map(\.stringValue)
        let knownSet = Set(known)
        for key in present.allKeys where !knownSet.contains(key.stringValue) {
            let problem = ConfigurationProblem(
                ConfigurationKeyPath(codingPath: codingPath + [key]),
                "unknown key (expected one of: \(known.joined(separator: ", ")))"
                    + ClosestName.suggestion(for: key.stringValue, among: known))
            guard let collector = configurationProblems else { throw problem.decodingError }
            collector.record(problem)
        }
        return SettingsContainer(container: try container(keyedBy: Key.self), collector: configurationProblems)
    }
}

/// The keys of one configuration object, read with defaults for what is missing.
///
/// A value of the wrong kind is a problem at its key: recorded when a collector is present (the default
/// then stands in, so that the rest is still checked), thrown otherwise.
public struct SettingsContainer<Key: CodingKey> {
    let container: KeyedDecodingContainer<Key>
    let collector: ConfigurationProblemCollector?

    /// Whether the object sets `key` (to anything but null).
    public func contains(_ key: Key) -> Bool {
        container.contains(key) && ((try? container.decodeNil(forKey: key)) == false)
    }

    /// The value at `key`, or `defaultValue` when it is missing or null.
    public func value<Value: Decodable>(_ key: Key, default defaultValue: Value) throws -> Value {
        try optional(key) ?? defaultValue
    }

    /// The value at `key`, or nil when it is missing or null.
    public func optional<Value: Decodable>(_ key: Key) throws -> Value? {
        do {
            return try container.decodeIfPresent(Value.self, forKey: key)
        } catch let error as DecodingError {
            try record(ConfigurationProblem(decoding: error))
            return nil
        } catch let problem as ConfigurationProblem {
            try record(problem)
            return nil
        }
    }

    /// A name from a closed set (`family: conv`), or `defaultValue`; an unknown name is a problem listing
    /// the known ones, e.g. `unknown model family 'conv2' (known: dense, conv, …; did you mean 'conv'?)`.
    public func choice<Value: RawRepresentable & CaseIterable>(
        _ key: Key, _ what: String, default defaultValue: Value
    ) throws -> Value where Value.RawValue == String {
        guard let name: String = try optional(key) else { return defaultValue }
        if let value = Value(rawValue: name) { return value }
        let known = Value.allCases.map(\.rawValue)
        try report(
            key,
            "unknown \(what) '\(name)' (known: \(known.joined(separator: ", ")))"
                + ClosestName.suggestion(for: name, among: known))
        return ClosestName.to(name, among: known).flatMap(Value.init(rawValue:)) ?? defaultValue
    }

    /// Records (or throws) a problem at `key`.
    public func report(_ key: Key, _ message: String) throws {
        try record(ConfigurationProblem(ConfigurationKeyPath(codingPath: container.codingPath + [key]), message))
    }

    private func record(_ problem: ConfigurationProblem) throws {
        guard let collector else { throw problem.decodingError }
        collector.record(problem)
    }
}

extension ConfigurationProblem {
    /// A problem of reading: the place and what was expected, in the words of a configuration file.
    public init(decoding error: DecodingError) {
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Float.Type, is Double.Type: "a number"
            case is Int.Type, is UInt64.Type, is Int64.Type, is UInt.Type: "a whole number"
            case is Bool.Type: "true or false"
            case is String.Type: "text"
            default:
                String(describing: type).hasPrefix("Array") ? "a list" : "a mapping of keys to values"
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            let found = context.debugDescription.hasPrefix("found ") ? ", " + context.debugDescription : ""
            self.init(ConfigurationKeyPath(codingPath: context.codingPath), "expected \(kind(type))\(found)")
        case .valueNotFound(let type, let context):
            self.init(ConfigurationKeyPath(codingPath: context.codingPath), "expected \(kind(type)), found nothing")
        case .keyNotFound(let key, let context):
            self.init(ConfigurationKeyPath(codingPath: context.codingPath + [key]), "required key is missing")
        case .dataCorrupted(let context):
            var message = context.debugDescription
            // Numbers out of a field's range come as "… does not fit in Int".
            if message.contains("does not fit") || message.contains("Number") { message = "a number out of range" }
            self.init(ConfigurationKeyPath(codingPath: context.codingPath), message)
        @unknown default:
            self.init(ConfigurationKeyPath(), String(describing: error))
        }
    }

    /// The problem as a `DecodingError`, for decoders that stop at the first.
    var decodingError: DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: keyPath.components.map(\.codingKey), debugDescription: message))
    }
}

extension ConfigurationKeyPath.Component {
    var codingKey: AnyCodingKey {
        switch self {
        case .key(let key): AnyCodingKey(key)
        case .index(let index): AnyCodingKey(intValue: index)!
        }
    }
}
