// The JSON in the store's columns: TEXT, so that `sqlite3` and its JSON functions can read it.

import Foundation
import Training

/// Encodes and decodes the store's JSON columns.
///
/// Metrics and summaries use `TrainingOutputDirectory`'s style (snake_case keys, sorted, `inf`/`nan`
/// as strings); configurations use their canonical JSON, the form their identifiers hash.
enum StoredJSON {
    static func text<Value: Encodable>(of value: Value) throws -> String {
        String(decoding: try TrainingOutputDirectory.makeJSONEncoder().encode(value), as: UTF8.self)
    }

    static func value<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try makeDecoder().decode(type, from: Data(text.utf8))
    }

    /// Undoes `makeJSONEncoder()`'s snake_case, except inside a training configuration, whose keys are
    /// spelt in snake_case by the configuration itself (`batch_size`) and must stay as written.
    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            if path.count > 1, path[0].stringValue == "configuration" { return key }
            return StoredKey(camelCase(key.stringValue))
        }
        return decoder
    }

    private static func camelCase(_ snakeCase: String) -> String {
        guard snakeCase.contains("_") else { return snakeCase }
        let words = snakeCase.split(separator: "_")
        guard let first = words.first else { return snakeCase }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    // MARK: Trials

    static func configurationText(of configuration: TrainingConfiguration) -> String {
        String(decoding: configuration.canonicalJSON(), as: UTF8.self)
    }

    static func parametersText(of parameters: [String: ParameterValue]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(parameters.mapValues(TaggedParameterValue.init)), as: UTF8.self)
    }

    /// The trial of a stored row. Its identifiers are recomputed from the configuration, which is what they hash.
    static func trial(configuration: String, parameters: String) throws -> Trial {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let configuration = try decoder.decode(TrainingConfiguration.self, from: Data(configuration.utf8))
        let parameters = try decoder.decode([String: TaggedParameterValue].self, from: Data(parameters.utf8))
        return Trial(configuration: configuration, parameters: parameters.mapValues(\.value))
    }
}

private struct StoredKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A parameter value with its kind spelt out, `{"number": 1}`: plain JSON writes the number 1.0 as `1`,
/// which would read back as the integer 1 and change the trial.
private struct TaggedParameterValue: Codable {
    var value: ParameterValue

    init(_ value: ParameterValue) { self.value = value }

    private enum Kind: String, CodingKey {
        case integer, number, text, boolean, list
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch value {
        case .integer(let value): try container.encode(value, forKey: .integer)
        case .number(let value): try container.encode(value, forKey: .number)
        case .text(let value): try container.encode(value, forKey: .text)
        case .boolean(let value): try container.encode(value, forKey: .boolean)
        case .list(let values): try container.encode(values.map(TaggedParameterValue.init), forKey: .list)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard let kind = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected one of integer, number, text, boolean, list"))
        }
        switch kind {
        case .integer: value = .integer(try container.decode(Int.self, forKey: kind))
        case .number: value = .number(try container.decode(Double.self, forKey: kind))
        case .text: value = .text(try container.decode(String.self, forKey: kind))
        case .boolean: value = .boolean(try container.decode(Bool.self, forKey: kind))
        case .list: value = .list(try container.decode([TaggedParameterValue].self, forKey: kind).map(\.value))
        }
    }
}
