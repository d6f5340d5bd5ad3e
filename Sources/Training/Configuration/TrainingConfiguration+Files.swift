// Reading and writing configuration files. YAML is a superset of JSON, so one reader serves both.

import Foundation
import Yams

extension TrainingConfiguration {
    /// Reads a YAML or JSON configuration file and checks it, reporting every problem at its line.
    public static func load(from url: URL) throws(ConfigurationError) -> TrainingConfiguration {
        try ConfigurationFile.read(url).resolve()
    }

    /// Parses YAML or JSON text; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> TrainingConfiguration {
        try ConfigurationFile.parse(text, path: file).resolve()
    }

    /// The configuration as YAML, in a form `load(from:)` reads back as is.
    ///
    /// Made from the JSON form, whose numbers are the shortest text that reads back to the same `Float`
    /// (`0.1`, where encoding the `Float` directly gives `1.00000001490116e-1`).
    public func yamlText() -> String {
        // JSON is YAML's flow syntax: composing it keeps every scalar's text; only the style changes.
        func blockStyle(_ node: Node) -> Node {
            switch node {
            case .mapping(let mapping):
                return .mapping(Node.Mapping(mapping.map { (blockStyle($0.key), blockStyle($0.value)) }, .implicit, .block))
            case .sequence(var sequence):
                sequence.style = .flow
                return .sequence(sequence)
            case .scalar(var scalar):
                // Plain where the text allows it (the emitter quotes what would read back differently).
                scalar.style = .any
                return .scalar(scalar)
            default:
                return node
            }
        }
        guard let node = try? Yams.compose(yaml: String(decoding: canonicalJSON(), as: UTF8.self)),
            let text = try? Yams.serialize(node: blockStyle(node))
        else { return (try? YAMLEncoder().encode(self)) ?? "" }
        return text
    }

    /// The configuration as JSON with sorted keys: a canonical form, stable across runs and machines.
    public func canonicalJSON() -> Data {
        CanonicalJSON.encode(self)
    }

    /// The same bytes as `canonicalJSON()`, put together from the JSON of its parts, each encoded once per
    /// distinct value in `cache`: the thousands of points of a grid share most of their parts.
    public func canonicalJSON(cache: CanonicalJSON.Cache) -> Data {
        // The top-level keys in the order `.sortedKeys` writes them.
        var json = Data("{\"batch_size\":\(batchSize),\"data\":".utf8)
        json += cache.json(of: data)
        json += Data(",\"epochs\":\(epochs),\"loss\":\"\(loss.rawValue)\",\"model\":".utf8)
        json += cache.json(of: model)
        json += Data(",\"noise\":".utf8)
        json += cache.json(of: noise)
        json += Data(",\"optimizer\":".utf8)
        json += cache.json(of: optimizer)
        json += Data(",\"seed\":\(seed)}".utf8)
        return json
    }

    /// The canonical JSON of this configuration at `seed`, made from `seedless`, its canonical JSON at seed 0,
    /// without encoding again: `seed` sorts last among the keys, so only the text after `"seed":` differs.
    /// (Checking a sweep spec makes one trial per point and seed; encoding is most of that work.)
    public static func canonicalJSON(_ seedless: Data, seed: UInt64) -> Data? {
        let suffix = Data("\"seed\":0}".utf8)
        guard seedless.count > suffix.count, seedless.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        return seedless.prefix(seedless.count - 2) + Data("\(seed)}".utf8)
    }
}

/// A configuration that cannot be used, with every problem at the place it was written.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case syntax(file: String, reason: String)
    /// One line per problem: `FILE:LINE: key: message`, `--flag: message`, or `key: message`.
    case invalid([String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read the configuration: \(reason)"
        case .syntax(let file, let reason): "\(file): not valid YAML or JSON: \(reason)"
        case .invalid(let problems): problems.joined(separator: "\n")
        }
    }
}
