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

    // The metrics a store holds one or more of per trial go through `MetricsJSON`: the same text, without
    // `JSONEncoder`'s and `JSONDecoder`'s per-key conversions (most of a coordinator's work per trial, and of
    // ranking a large store).

    static func text(of summary: TrainingSummary) -> String {
        String(decoding: MetricsJSON.data(summary, keys: .snakeCase), as: UTF8.self)
    }

    static func text(of metrics: EpochMetrics) -> String {
        String(decoding: MetricsJSON.data(metrics, keys: .snakeCase), as: UTF8.self)
    }

    static func value(_ type: TrainingSummary.Type, from text: String) throws -> TrainingSummary {
        var reader = JSONTextReader(text)
        let summary = try MetricsJSON.readSummary(from: &reader)
        try reader.end()
        return summary
    }

    static func value(_ type: EpochMetrics.Type, from text: String) throws -> EpochMetrics {
        var reader = JSONTextReader(text)
        let metrics = try MetricsJSON.readEpochMetrics(from: &reader)
        try reader.end()
        return metrics
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

    /// `trial.parameters`: plain JSON, keys sorted, `{"model.encoder":[64],"noise.sigma":1.0}`.
    static func parametersText(of parameters: [String: ParameterValue]) -> String {
        JSONValue.object(parameters.keys.sorted().map { JSONValue.Member($0, parameters[$0]!.storedJSON) }).text
    }

    /// The parameters `parametersText(of:)` wrote.
    static func parameters(from text: String) throws -> [String: ParameterValue] {
        guard case .object(let members) = try JSONValue(parsing: text) else {
            throw StoredParameterError("expected an object of swept keys and values, found \(text)")
        }
        var parameters: [String: ParameterValue] = [:]
        for member in members {
            do {
                parameters[member.key] = try ParameterValue(storedJSON: member.value)
            } catch {
                throw StoredParameterError("\(member.key): \(error)")
            }
        }
        return parameters
    }

    /// The parameters of a row that schema v1 or v2 wrote, `{"noise.sigma":{"number":1}}`, in the plain form.
    static func plainParametersText(fromTagged text: String) throws -> String {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let tagged = try decoder.decode([String: TaggedParameterValue].self, from: Data(text.utf8))
        return parametersText(of: tagged.mapValues(\.value))
    }

    /// The trial of a stored row. Its identifiers are recomputed from the configuration, which is what they hash.
    static func trial(configuration: String, parameters: String) throws -> Trial {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let configuration = try decoder.decode(TrainingConfiguration.self, from: Data(configuration.utf8))
        return Trial(configuration: configuration, parameters: try Self.parameters(from: parameters))
    }
}

private struct StoredKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
