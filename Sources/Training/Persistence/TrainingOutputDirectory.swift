// The files `aesweep train --output DIR` leaves behind.

import Foundation

/// A directory holding one training run: `config.yaml` (readable back with `--config`),
/// `metrics.jsonl` (one JSON object per epoch, written as each epoch ends), `summary.json` and
/// `weights.safetensors`.
public struct TrainingOutputDirectory: Sendable {
    public let url: URL

    public var configurationURL: URL { url.appendingPathComponent("config.yaml") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.jsonl") }
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }
    public var weightsURL: URL { url.appendingPathComponent("weights.safetensors") }

    /// Creates the directory (and its parents) if needed and checks that it can be written.
    public init(creatingAt url: URL) throws(PersistenceError) {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: url.path, reason: error.localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw .unwritable(path: url.path, reason: "permission denied")
        }
    }

    /// The encoder for metrics and summaries: snake_case keys, sorted, one line.
    public static func makeJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Writes `config.yaml` and starts an empty `metrics.jsonl`.
    public func writeConfiguration(_ configuration: TrainingConfiguration) throws(PersistenceError) {
        try write(Data(configuration.yamlText().utf8), to: configurationURL)
        try write(Data(), to: metricsURL)
    }

    /// Appends one epoch's line to `metrics.jsonl`.
    public func appendEpoch(_ metrics: EpochMetrics) throws(PersistenceError) {
        do {
            var line = try Self.makeJSONEncoder().encode(metrics)
            line.append(UInt8(ascii: "\n"))
            let handle = try FileHandle(forWritingTo: metricsURL)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } catch {
            throw .unwritable(path: metricsURL.path, reason: error.localizedDescription)
        }
    }

    /// Writes `summary.json` and `weights.safetensors`.
    public func writeSummary(_ summary: TrainingSummary, weights: SafeTensors) throws(PersistenceError) {
        let encoder = Self.makeJSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try encoder.encode(summary) } catch {
            throw .unwritable(path: summaryURL.path, reason: error.localizedDescription)
        }
        try write(data, to: summaryURL)
        try weights.write(to: weightsURL)
    }

    private func write(_ data: Data, to file: URL) throws(PersistenceError) {
        do { try data.write(to: file, options: .atomic) } catch {
            throw .unwritable(path: file.path, reason: error.localizedDescription)
        }
    }
}
