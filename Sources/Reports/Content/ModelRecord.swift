import Foundation
import Sweep
import Training

/// One trained model as a single-model report reads it, from wherever it was stored: a trial of a sweep's
/// store (`aesweep report RUN_DIR --trial ID`) or a directory `aesweep train --output` wrote.
public struct ModelRecord {
    /// The report's heading, e.g. `Trial 3f2a… of sweep noise`.
    public var title: String
    /// What sentences call the model, e.g. `trial 3f2a…`.
    public var subject: String
    public var configuration: TrainingConfiguration
    public var epochs: [EpochMetrics]
    /// The figures on the test split after training; nil when training never finished.
    public var test: EvaluationMetrics?
    public var parameterCount: Int?
    public var weights: SafeTensors
    /// The validation images a sweep's worker stored after each epoch (none for `train --output`).
    public var previews: [(epoch: Int, sample: ReconstructionSample)]
    /// Where the report is written.
    public var directory: URL
    /// Where the model's data was found when it was made, searched after `--data-dir`.
    public var recordedDataSearchPath: [String]
    /// Lines of the summary beyond the configuration, e.g. which worker trained it.
    public var facts: [String]

    /// The trial of `record` whose id is or starts with `query`; its report goes to `RUN_DIR/trial-ID/`.
    public static func trial(_ query: String, in record: RunRecord) throws(ReportError) -> ModelRecord {
        let matches = record.results.filter { $0.trial.id.description.hasPrefix(query) }
        guard matches.count == 1, let result = matches.first else {
            let known = record.results.prefix(5).map(\.trial.id.description).joined(separator: ", ")
            throw .unknownTrial(
                query: query, directory: record.directory.path,
                reason: matches.isEmpty
                    ? "no finished trial has that id (finished trials: \(known)\(record.results.count > 5 ? ", …" : ""); "
                        + "`aesweep export \(record.directory.path)` lists them all)"
                    : "\(matches.count) finished trials start with it; give more of the id")
        }
        let id = result.trial.id
        guard let weights = try record.weights(of: id) else {
            throw .unusableModel(model: "trial \(id)", reason: "the trial has no stored weights")
        }
        let parameters = result.trial.parameters.keys.sorted().map { "\($0)=\(result.trial.parameters[$0]!)" }
        return ModelRecord(
            title: "Trial \(id) of sweep \(record.spec.name)", subject: "trial \(id)",
            configuration: result.trial.configuration, epochs: record.epochs(of: id), test: result.summary.test,
            parameterCount: result.summary.parameterCount, weights: weights, previews: record.previews(of: id),
            directory: record.directory.appendingPathComponent("trial-\(id)", isDirectory: true),
            recordedDataSearchPath: record.dataSearchPath ?? [],
            facts: [
                "Swept settings: " + (parameters.isEmpty ? "none" : parameters.joined(separator: ", ")),
                "Seed \(result.trial.configuration.seed); trained by \(result.worker ?? "an unknown worker") in "
                    + String(format: "%.1f s", result.seconds)
                    + (result.summary.stoppedEarly ? "; stopped early" : ""),
            ])
    }

    /// The model in `directory`, written by `aesweep train --output`: `config.yaml`, `metrics.jsonl`,
    /// `summary.json`, `weights.safetensors` and where it found its data; its report goes into the same directory.
    public static func trainingOutput(_ directory: URL) throws(ReportError) -> ModelRecord {
        let output: TrainingOutputDirectory
        let configuration: TrainingConfiguration
        let epochs: [EpochMetrics]
        let summary: TrainingSummary?
        let weights: SafeTensors
        let searchPath: [String]
        do {
            output = try TrainingOutputDirectory(existing: directory)
            configuration = try TrainingConfiguration.load(from: output.configurationURL)
            epochs = try output.readEpochs()
            summary = try output.readSummary()
            searchPath = try output.readDataSearchPath()
        } catch {
            throw .unreadableModel(directory: directory.path, reason: "\(error)")
        }
        do {
            weights = try SafeTensors(contentsOf: output.weightsURL)
        } catch {
            throw .unreadableModel(
                directory: directory.path,
                reason: "\(error.description) (the weights are written when training ends: was it interrupted?)")
        }
        return ModelRecord(
            title: "Model in \(directory.lastPathComponent)", subject: "the model", configuration: configuration,
            epochs: epochs, test: summary?.test, parameterCount: summary?.parameterCount, weights: weights, previews: [],
            directory: directory, recordedDataSearchPath: searchPath,
            facts: [
                "Trained by aesweep train --output \(directory.path)"
                    + (summary.map { String(format: " in %.1f s", $0.seconds) + ($0.stoppedEarly ? "; stopped early" : "") } ?? "")
            ])
    }
}
