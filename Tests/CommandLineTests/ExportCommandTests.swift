import Foundation
import Sweep
import TestSupport
import Testing

/// `aesweep export` on a real run directory (a sweep over a generated MNIST), read back as a user would: with
/// Python's `csv` and `json` modules.
@Suite("aesweep export", .serialized)
struct ExportCommandTests {
    /// Reads the CSV export and the JSON Lines epoch export; prints what it found as one JSON object.
    static let reader = #"""
        import csv, json, sys

        with open(sys.argv[1], newline="") as file:
            reader = csv.DictReader(file)
            header = reader.fieldnames
            trials = list(reader)
        with open(sys.argv[2]) as file:
            epochs = [json.loads(line) for line in file]

        def number(text):
            return float(text) if text != "" else None

        print(json.dumps({
            "header": header,
            "trials": [{
                "trial_id": row["trial_id"], "state": row["state"], "seed": int(row["seed"]),
                "failure_reason": row["failure_reason"], "psnr": number(row["validation.psnr"]),
                "test_mse": number(row["test.mse"]), "encoder": json.loads(row["model.encoder"]),
                "swept_encoder": json.loads(row["swept.model.encoder"]), "epochs_trained": int(row["epochs_trained"]),
            } for row in trials],
            "epoch_keys": list(epochs[0].keys()),
            "epochs": [{
                "trial_id": row["trial_id"], "epoch": row["epoch"], "psnr": row["validation.psnr"],
                "types": {key: type(row[key]).__name__ for key in ["trial_id", "seed", "epoch", "validation.psnr", "train_loss"]},
            } for row in epochs],
        }))
        """#

    @Test func exportsReadBackWithPythonsCSVAndJSONModules() throws {
        let directory = try TemporaryDirectory(prefix: "export-command")
        let spec = try directory.file("export.yaml")
        try """
            name: export
            base:
              data: {name: mnist, training_limit: 300, validation_count: 100, evaluation_limit: 100}
              epochs: 2
            grid:
              model.encoder: [[16], [32, 8]]
              optimizer.learning_rate: [0.001, 1.0e+30]
            seeds: 1
            """.write(to: spec, atomically: true, encoding: .utf8)
        let data = try directory.directory("data")
        try SyntheticDataset(name: "mnist", trainCount: 400, testCount: 100, height: 28, width: 28, classCount: 10)
            .write(into: data)
        let run = directory.url.appendingPathComponent("run")
        let sweep = try CommandRunner.run(
            ["sweep", spec.path, "--run-dir", run.path, "--data-dir", data.path, "--workers", "2", "--no-report"],
            timeout: 240)
        // The diverging learning rate fails its two trials: exit 2.
        #expect(sweep.status == 2, "\(sweep.standardOutput)\n\(sweep.standardError)")

        let csv = try CommandRunner.run(["export", run.path])
        #expect(csv.status == 0, "\(csv.standardError)")
        let csvFile = try directory.file("trials.csv")
        try csv.standardOutput.write(to: csvFile, atomically: true, encoding: .utf8)
        let epochsFile = try directory.file("epochs.jsonl")
        let jsonl = try CommandRunner.run(["export", run.path, "--format", "jsonl", "--epochs", "--output", epochsFile.path])
        #expect(jsonl.status == 0 && jsonl.standardOutput.isEmpty, "\(jsonl.standardError)")

        let script = try directory.file("read.py")
        try Self.reader.write(to: script, atomically: true, encoding: .utf8)
        let python = try CommandRunner.run(
            ["python3", script.path, csvFile.path, epochsFile.path], executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(python.status == 0, "python3 could not read the export: \(python.standardError)")
        // JSONDecoder reads numbers exactly; JSONSerialization on Linux can be a unit in the last place off.
        let found = try JSONDecoder().decode(Found.self, from: Data(python.standardOutput.utf8))

        // Against the store.
        let store = try SweepStore.open(existing: run)
        let records = try store.trialRecords()
        let results = Dictionary(uniqueKeysWithValues: try store.results().map { ($0.trial.id.rawValue, $0) })
        let failures = Dictionary(uniqueKeysWithValues: try store.failures().map { ($0.trial.rawValue, $0.reason) })
        #expect(records.count == 4 && results.count == 2 && failures.count == 2)

        #expect(Array(found.header.prefix(ExportTable.trialColumns.count)) == ExportTable.trialColumns)
        for column in [
            "validation.psnr", "validation.noisy_psnr", "validation.psnr_gain", "test.mse", "test.ssim", "model.encoder",
            "noise.sigma", "data.name", "optimizer.learning_rate", "swept.model.encoder", "swept.optimizer.learning_rate",
        ] {
            #expect(found.header.contains(column), "\(column)")
        }
        #expect(found.trials.map(\.trial_id) == records.map(\.id.rawValue))
        #expect(found.trials.map(\.state) == records.map(\.state.rawValue))
        for (row, record) in zip(found.trials, records) {
            let id = record.id.rawValue
            #expect(row.seed == Int(record.seed))
            #expect(row.encoder == row.swept_encoder)
            if let result = results[id] {
                #expect(row.psnr == result.summary.epochs.last?.validation.denoised.psnr, "\(id)")
                #expect(row.test_mse == result.summary.test.denoised.mse, "\(id)")
                #expect(row.epochs_trained == 2 && row.failure_reason == "")
            } else {
                // The reason holds commas ("… at epoch 1, batch 2 (…)"): quoted, and read back whole.
                let reason = try #require(failures[id])
                #expect(reason.contains(","))
                #expect(row.failure_reason == reason)
                #expect(row.psnr == nil && row.test_mse == nil)
            }
        }
        #expect(Set(found.trials.map(\.encoder)) == [[16], [32, 8]])

        let storedEpochs = try store.currentEpochs()
        #expect(found.epochs.count == storedEpochs.count)
        #expect(found.epochs.count == 4)  // two epochs of each done trial; the failed ones diverged in their first
        #expect(Array(found.epoch_keys.prefix(4)) == ExportTable.epochColumns && found.epoch_keys.contains("samples_per_second"))
        for row in found.epochs {
            #expect(row.types == ["trial_id": "str", "seed": "int", "epoch": "int", "validation.psnr": "float", "train_loss": "float"])
            let stored = storedEpochs.first { $0.trial.rawValue == row.trial_id && $0.metrics.epoch == row.epoch }
            #expect(row.psnr == stored?.metrics.validation.denoised.psnr, "\(row.trial_id) epoch \(row.epoch)")
        }
    }

    /// What the Python reader prints.
    struct Found: Decodable {
        struct TrialRow: Decodable {
            var trial_id: String
            var state: String
            var seed: Int
            var failure_reason: String
            var psnr: Double?
            var test_mse: Double?
            var encoder: [Int]
            var swept_encoder: [Int]
            var epochs_trained: Int
        }
        struct EpochRow: Decodable {
            var trial_id: String
            var epoch: Int
            var psnr: Double
            var types: [String: String]
        }
        var header: [String]
        var trials: [TrialRow]
        var epoch_keys: [String]
        var epochs: [EpochRow]
    }

    @Test func notARunDirectoryFailsNamingItAndBadFlagsAreUsageErrors() throws {
        let directory = try TemporaryDirectory(prefix: "export-command")
        let missing = directory.url.appendingPathComponent("runs/nothing").path
        let outcome = try CommandRunner.run(["export", missing])
        #expect(outcome.status == 1 && outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("\(missing): not a run directory"), "\(outcome.standardError)")
        let empty = try CommandRunner.run(["export", directory.url.path])
        #expect(empty.status == 1 && empty.standardError.contains("no sweep.sqlite"), "\(empty.standardError)")
        let badFormat = try CommandRunner.run(["export", directory.url.path, "--format", "xlsx"])
        #expect(badFormat.status == 64, "\(badFormat.standardError)")
        let unknownFlag = try CommandRunner.run(["export", directory.url.path, "--epoch"])
        #expect(unknownFlag.status == 64, "\(unknownFlag.standardError)")
    }
}
