// The JSON of the metrics every epoch and every trial produce, written and read by hand: a coordinator stores
// one summary and one epoch per trial, and ranking a store reads them all back. The text is byte for byte
// what `JSONEncoder` with `.sortedKeys` writes (and, in snake_case, what `TrainingOutputDirectory`'s encoder
// writes), so that stores, files and messages do not change; reading accepts either spelling of every key.

import Foundation

/// Writes and reads `TrainingSummary` and `EpochMetrics` (with their `EvaluationMetrics`,
/// `ReconstructionQuality` and `MaskedRegionQuality`) as JSON, about ten times faster than `JSONEncoder` and
/// `JSONDecoder` with a key strategy.
///
/// Every stored property of these types has a member here; `MetricsJSONTests` fails when one is added
/// without it (the text would then differ from `JSONEncoder`'s).
public enum MetricsJSON {
    /// How keys are spelt: `trainLoss` (messages, `JSONEncoder`'s default) or `train_loss` (the store and the
    /// metrics files, `TrainingOutputDirectory.makeJSONEncoder()`).
    public enum KeyStyle: Sendable {
        case camelCase
        case snakeCase
    }

    public static func data(_ summary: TrainingSummary, keys: KeyStyle) -> Data {
        var writer = JSONTextWriter(capacity: 512 + 512 * summary.epochs.count)
        write(summary, keys: keys, to: &writer)
        return writer.data
    }

    public static func data(_ metrics: EpochMetrics, keys: KeyStyle) -> Data {
        var writer = JSONTextWriter()
        write(metrics, keys: keys, to: &writer)
        return writer.data
    }

    /// The summary in `text`, whichever spelling its keys use.
    public static func summary(from text: Data) throws(JSONTextError) -> TrainingSummary {
        var reader = JSONTextReader(text)
        let summary = try readSummary(from: &reader)
        try reader.end()
        return summary
    }

    /// The epoch's metrics in `text`, whichever spelling its keys use.
    public static func epochMetrics(from text: Data) throws(JSONTextError) -> EpochMetrics {
        var reader = JSONTextReader(text)
        let metrics = try readEpochMetrics(from: &reader)
        try reader.end()
        return metrics
    }
}

/// One type's members: their keys in both spellings, for reading, and for writing in each spelling's sorted
/// order (as `.sortedKeys` orders them), each with its key already quoted.
struct MetricsFields: Sendable {
    let reading: JSONFieldKeys
    private let camelCaseOrder: [(field: Int, key: [UInt8])]
    private let snakeCaseOrder: [(field: Int, key: [UInt8])]

    init(_ fields: [(camelCase: String, snakeCase: String)]) {
        reading = JSONFieldKeys(fields.map { $0.camelCase == $0.snakeCase ? [$0.camelCase] : [$0.camelCase, $0.snakeCase] })
        camelCaseOrder = fields.indices.sorted { Array(fields[$0].camelCase.utf8).lexicographicallyPrecedes(Array(fields[$1].camelCase.utf8)) }
            .map { ($0, JSONTextWriter.quotedKey(fields[$0].camelCase)) }
        snakeCaseOrder = fields.indices.sorted { Array(fields[$0].snakeCase.utf8).lexicographicallyPrecedes(Array(fields[$1].snakeCase.utf8)) }
            .map { ($0, JSONTextWriter.quotedKey(fields[$0].snakeCase)) }
    }

    /// The fields in the order `keys` sorts them, with their quoted keys.
    func order(_ keys: MetricsJSON.KeyStyle) -> [(field: Int, key: [UInt8])] {
        switch keys {
        case .camelCase: camelCaseOrder
        case .snakeCase: snakeCaseOrder
        }
    }
}
