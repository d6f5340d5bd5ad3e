// The rows of `aesweep export RUN_DIR --epochs`: one per stored epoch of each trial.

import Training

extension ExportTable {
    /// The identity columns of `epochs(in:)`, always present and first.
    public static let epochColumns = ["trial_id", "configuration_id", "seed", "epoch"]

    /// One row per stored epoch of each trial of the current spec (trials in the spec's order, epochs in
    /// order), with every figure of the epoch: `train_loss`, `training_seconds`, … as `metrics.jsonl` names
    /// them, and `validation.*` as `trials(in:)` does.
    public static func epochs(in store: SweepStore) throws -> ExportTable {
        let (records, epochs) = try store.snapshot { (try store.trialRecords(), try store.currentEpochs()) }
        var epochsByTrial: [TrialIdentifier: [EpochMetrics]] = [:]
        for (trial, metrics) in epochs { epochsByTrial[trial, default: []].append(metrics) }
        var columns = ExportColumns(identity: epochColumns)
        for record in records {
            for row in epochsByTrial[record.id] ?? [] {
                columns.append(
                    identity: [
                        "trial_id": .text(record.id.rawValue),
                        "configuration_id": .text(record.configurationID.rawValue),
                        "seed": seedValue(record.seed),
                        "epoch": .integer(row.epoch),
                    ],
                    cells: try MetricColumns.epoch(row, allFigures: true))
            }
        }
        return columns.table
    }
}
