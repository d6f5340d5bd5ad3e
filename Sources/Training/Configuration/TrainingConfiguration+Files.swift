// Reading and writing configuration files. YAML is a superset of JSON, so one reader serves both.

import Foundation
import Yams

extension TrainingConfiguration {
    /// Reads a YAML or JSON configuration file and validates it.
    public static func load(from url: URL) throws(ConfigurationError) -> TrainingConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try parse(text, file: url.path)
    }

    /// Parses YAML or JSON text; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> TrainingConfiguration {
        let configuration: TrainingConfiguration
        do {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                configuration = TrainingConfiguration()
            } else {
                configuration = try YAMLDecoder().decode(TrainingConfiguration.self, from: text)
            }
        } catch let error as DecodingError {
            throw .invalid(file: file, problems: [error.keyPathDescription])
        } catch let error as YamlError {
            throw .syntax(file: file, reason: String(describing: error))
        } catch {
            throw .syntax(file: file, reason: String(describing: error))
        }
        let problems = configuration.validationProblems
        guard problems.isEmpty else { throw .invalid(file: file, problems: problems) }
        return configuration
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// A configuration file that cannot be used, with the file and key at fault.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case syntax(file: String, reason: String)
    case invalid(file: String, problems: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read the configuration: \(reason)"
        case .syntax(let file, let reason): "\(file): not valid YAML or JSON: \(reason)"
        case .invalid(let file, let problems): problems.map { "\(file): \($0)" }.joined(separator: "\n")
        }
    }
}
