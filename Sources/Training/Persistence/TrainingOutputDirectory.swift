// The files `aesweep train --output DIR` leaves behind.

import Foundation

/// A directory holding one training run: `config.yaml` (readable back with `--config`),
/// `metrics.jsonl` (one JSON object per epoch, written as each epoch ends), `summary.json`,
/// `weights.safetensors` and `data-search-path.json` (where the dataset was looked for).
public struct TrainingOutputDirectory: Sendable {
    public let url: URL

    public var configurationURL: URL { url.appendingPathComponent("config.yaml") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.jsonl") }
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }
    public var weightsURL: URL { url.appendingPathComponent("weights.safetensors") }
    /// The directories where `train` looked for the dataset (a JSON array), searched by a later report.
    public var dataSearchPathURL: URL { url.appendingPathComponent("data-search-path.json") }

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

    /// A directory an earlier `train --output` wrote, to read back; it must hold `config.yaml`.
    public init(existing url: URL) throws(PersistenceError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: configurationURL.path) else {
            throw .unreadable(path: configurationURL.path, reason: "no such file: not a directory `aesweep train --output` wrote")
        }
    }

    /// The epochs of `metrics.jsonl`, in order (those finished before an interruption too).
    public func readEpochs() throws(PersistenceError) -> [EpochMetrics] {
        let text: String
        do {
            text = try String(contentsOf: metricsURL, encoding: .utf8)
        } catch {
            throw .unreadable(path: metricsURL.path, reason: error.localizedDescription)
        }
        let decoder = Self.makeJSONDecoder()
        var epochs: [EpochMetrics] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                epochs.append(try decoder.decode(EpochMetrics.self, from: Data(line.utf8)))
            } catch {
                throw .malformedRecord(source: "\(metricsURL.path), line \(index + 1)", reason: "\(error)")
            }
        }
        return epochs
    }

    /// `summary.json`, or nil when training never finished (no file).
    public func readSummary() throws(PersistenceError) -> TrainingSummary? {
        guard FileManager.default.fileExists(atPath: summaryURL.path) else { return nil }
        do {
            return try Self.makeJSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: summaryURL))
        } catch {
            throw .malformedRecord(source: summaryURL.path, reason: "\(error)")
        }
    }

    /// The decoder of what `makeJSONEncoder()` writes.
    public static func makeJSONDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
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

    /// Writes `data-search-path.json`: the directories, in search order, where the dataset was looked for.
    public func writeDataSearchPath(_ directories: [String]) throws(PersistenceError) {
        let data: Data
        do { data = try JSONEncoder().encode(directories) } catch {
            throw .unwritable(path: dataSearchPathURL.path, reason: error.localizedDescription)
        }
        try write(data, to: dataSearchPathURL)
    }

    /// The directories `writeDataSearchPath(_:)` wrote; empty when there is no such file (older outputs).
    public func readDataSearchPath() throws(PersistenceError) -> [String] {
        guard FileManager.default.fileExists(atPath: dataSearchPathURL.path) else { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(contentsOf: dataSearchPathURL))
        } catch {
            throw .malformedRecord(source: dataSearchPathURL.path, reason: "\(error)")
        }
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
