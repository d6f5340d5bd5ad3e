import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// `aesweep export`'s table, from a store filled through its API: a done, a failed, a stopped, a running and
/// pending trials of a grid with a list-valued key.
@Suite("Export table")
struct ExportTableTests {
    static let spec = try! SweepSpec.parse(
        """
        name: export
        base: {data: {name: mnist, training_limit: 500}, epochs: 2}
        grid:
          model.encoder: [[64], [128, 32]]
          noise.sigma: [0.1, 0.5]
        seeds: 2
        """, file: "export.yaml")

    static let failure = "training diverged: the loss became nan at epoch 1, batch 3 (\"nan\")\nsee the log"
    static let start = Date(timeIntervalSince1970: 1_700_000_000.25)

    /// The store and what was put in it.
    struct Filled {
        let scratch: ScratchStore
        let trials: [Trial]
        let result: TrialResult
        let failedEpoch: EpochMetrics
        var store: SweepStore { scratch.store }
    }

    /// Trial 0 done (with inpainting and VAE figures on the test split, and an infinite noisy SNR), 1 failed
    /// after an epoch, 2 stopped after an epoch, 3 running, the rest pending.
    static func filled() throws -> Filled {
        let scratch = try ScratchStore()
        let trials = spec.trials()
        try scratch.store.register(trials)
        let store = scratch.store

        var result = SampleResults.result(for: trials[0], seconds: 4.5)
        result.summary.test.psnrGain = 3.25
        result.summary.test.denoised.ssim = 0.875
        result.summary.test.noisy.ssim = 0.5
        result.summary.test.noisy.snr = .infinity
        result.summary.test.klDivergence = 12.5
        result.summary.test.masked = MaskedRegionQuality(
            imageCount: 40, denoised: ReconstructionQuality(mse: 0.02, psnr: 17, snr: 9),
            noisy: ReconstructionQuality(mse: 0.2, psnr: 7, snr: 1), meanFill: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 3))
        _ = try store.startAttempt(trials[0].id, worker: "node-1:11", token: "t", leaseExpiresAt: start + 60, at: start)
        for epoch in result.summary.epochs { try store.recordEpoch(trials[0].id, metrics: epoch) }
        try store.recordResult(result, weights: nil, at: start + 4.5)

        let failedEpoch = SampleResults.epoch(1, loss: 0.08)
        _ = try store.startAttempt(trials[1].id, worker: "node-2:22", token: "t", leaseExpiresAt: start + 60, at: start)
        try store.recordEpoch(trials[1].id, metrics: failedEpoch)
        try store.recordFailure(trials[1].id, reason: failure, at: start + 2)

        _ = try store.startAttempt(trials[2].id, worker: "node-2:22", token: "t", leaseExpiresAt: start + 60, at: start + 3)
        try store.recordEpoch(trials[2].id, metrics: SampleResults.epoch(1, loss: 0.09))
        try store.recordStopped(trials[2].id, reason: "early stopping: below the rung's cutoff", at: start + 4)

        _ = try store.startAttempt(trials[3].id, worker: "node-3:33", token: "t", leaseExpiresAt: start + 60, at: start + 5)
        return Filled(scratch: scratch, trials: trials, result: result, failedEpoch: failedEpoch)
    }

    /// A JSON number as a Double, whichever way it was written.
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer)?: Double(integer)
        case .number(let number)?: number
        default: nil
        }
    }

    @Test func oneRowPerTrialWithIdentityMetricsConfigurationAndSweptKeysInThatOrder() throws {
        let filled = try Self.filled()
        let table = try ExportTable.trials(in: filled.store)
        #expect(table.rows.count == 8)
        #expect(Array(table.columns.prefix(ExportTable.trialColumns.count)) == ExportTable.trialColumns)
        #expect(Set(table.columns).count == table.columns.count)
        #expect(table.columns.filter { $0 == "seed" }.count == 1)

        func index(_ column: String) throws -> Int { try #require(table.columns.firstIndex(of: column), "\(column)") }
        // Metrics, then configuration, then swept keys.
        let ordered = [
            "failure_reason", "train_loss", "validation.mse", "validation.psnr", "validation.noisy_psnr", "test.mse",
            "test.psnr", "test.ssim", "test.noisy_psnr", "test.psnr_gain", "batch_size", "data.name", "model.encoder",
            "noise.sigma", "swept.model.encoder", "swept.noise.sigma",
        ]
        let positions = try ordered.map(index)
        #expect(positions == positions.sorted(), "\(table.columns)")
        // The denoised figures lead each split.
        #expect(try index("validation.mse") == index("train_penalty") + 1)

        // Figures named after Training's types, not a list here: masked, mean fill, KL, SSIM of the input.
        for column in [
            "test.masked_psnr", "test.masked_mean_fill_psnr", "test.masked_noisy_mse", "test.masked_image_count",
            "test.kl_divergence", "test.noisy_ssim", "test.code_near_zero_fraction", "validation.image_count",
        ] {
            #expect(table.columns.contains(column), "\(column)")
        }
        #expect(!table.columns.contains("validation.masked_psnr"))  // no trial has it
        #expect(!table.columns.contains("validation.denoised_psnr") && !table.columns.contains("test.epochs"))
    }

    @Test func eachStateCarriesWhatTheStoreHolds() throws {
        let filled = try Self.filled()
        let table = try ExportTable.trials(in: filled.store)
        func value(_ column: String, _ row: Int) -> JSONValue? { table.value(column, inRow: row) }
        #expect((0..<8).map { value("trial_id", $0) } == filled.trials.map { .text($0.id.rawValue) })
        #expect((0..<8).map { value("state", $0) } == [
            .text("done"), .text("failed"), .text("stopped"), .text("running"), .text("pending"), .text("pending"),
            .text("pending"), .text("pending"),
        ])

        // Done.
        let result = filled.result
        let last = try #require(result.summary.epochs.last)
        #expect(value("configuration_id", 0) == .text(filled.trials[0].configurationID.rawValue))
        #expect(value("seed", 0) == .integer(Int(filled.trials[0].seed)))
        #expect(value("worker", 0) == .text("node-1:4242"))  // the result's worker
        #expect(value("attempt", 0) == .integer(1))
        #expect(value("started_at", 0) == .text("2023-11-14T22:13:20.250Z"))
        #expect(value("finished_at", 0) == .text("2023-11-14T22:13:24.750Z"))
        #expect(value("seconds", 0) == .number(4.5))
        #expect(value("epochs_trained", 0) == .integer(2))
        #expect(value("stopped_early", 0) == .boolean(false))
        #expect(value("parameter_count", 0) == .integer(102_480))
        #expect(value("failure_reason", 0) == .null)
        #expect(value("train_loss", 0) == .number(last.trainLoss))
        #expect(value("validation.psnr", 0) == .number(last.validation.denoised.psnr))
        #expect(value("validation.noisy_psnr", 0) == .number(last.validation.noisy.psnr))
        #expect(value("validation.image_count", 0) == .integer(1_000))
        #expect(value("test.mse", 0) == .number(result.summary.test.denoised.mse))
        #expect(value("test.psnr_gain", 0) == .number(3.25))
        #expect(value("test.ssim", 0) == .number(0.875))
        // Whole figures as Foundation's JSON writes them (`10`): JSON has one kind of number.
        #expect(Self.number(value("test.masked_mean_fill_psnr", 0)) == 10)
        #expect(value("test.noisy_snr", 0) == .text("inf"))
        #expect(value("model.encoder", 0) == .array([.integer(64)]))
        #expect(value("swept.model.encoder", 0) == .array([.integer(64)]))
        #expect(value("noise.sigma", 0) == .number(0.1))
        #expect(value("swept.noise.sigma", 0) == .number(0.1))
        #expect(value("data.name", 0) == .text("mnist"))
        #expect(value("data.training_limit", 0) == .integer(500))
        #expect(value("epochs", 0) == .integer(2))

        // Failed after one epoch: its epoch's figures, no test figures, the reason, start to end.
        #expect(value("failure_reason", 1) == .text(Self.failure))
        #expect(value("epochs_trained", 1) == .integer(1))
        #expect(value("seconds", 1) == .number(2))
        #expect(value("validation.psnr", 1) == .number(filled.failedEpoch.validation.denoised.psnr))
        #expect(value("test.psnr", 1) == .null && value("parameter_count", 1) == .null)
        #expect(value("model.encoder", 1) == .array([.integer(64)]) && value("seed", 1) == .integer(1))

        // Stopped, running, pending.
        #expect(value("failure_reason", 2) == .text("early stopping: below the rung's cutoff"))
        #expect(value("epochs_trained", 2) == .integer(1) && value("seconds", 2) == .number(1))
        #expect(value("worker", 3) == .text("node-3:33") && value("seconds", 3) == .null)
        #expect(value("validation.psnr", 3) == .null && value("finished_at", 3) == .null)
        #expect(value("model.encoder", 4) == .array([.integer(128), .integer(32)]))
        #expect(value("attempt", 4) == .integer(0) && value("worker", 4) == .null && value("epochs_trained", 4) == .integer(0))
        #expect(value("validation.psnr", 4) == .null && value("test.mse", 4) == .null && value("started_at", 4) == .null)
    }

    @Test func csvQuotesAsRFC4180AndLeavesMissingValuesEmpty() throws {
        let filled = try Self.filled()
        let table = try ExportTable.trials(in: filled.store)
        let text = table.render(.csv)
        let records = RankingRenderingTests.parseCSV(text)
        #expect(records.count == 9)
        #expect(records[0] == table.columns)
        #expect(records.allSatisfy { $0.count == table.columns.count })
        func cell(_ column: String, _ row: Int) -> String { records[row + 1][table.columns.firstIndex(of: column)!] }

        // A reason with a comma, quotes and a line break comes back whole; it was quoted, quotes doubled.
        #expect(cell("failure_reason", 1) == Self.failure)
        #expect(text.contains(#","training diverged: the loss became nan at epoch 1, batch 3 (""nan"")"#))
        // Lists as JSON, quoted when they hold a comma.
        #expect(cell("model.encoder", 0) == "[64]" && cell("model.encoder", 4) == "[128,32]")
        #expect(text.contains(#","[128,32]","#))
        // Numbers as they read back; missing values empty, never nil or 0.
        #expect(Double(cell("validation.psnr", 0)) == filled.result.summary.epochs.last?.validation.denoised.psnr)
        #expect(cell("seconds", 0) == "4.5" && cell("noise.sigma", 0) == "0.1" && cell("seed", 0) == "0")
        #expect(cell("test.noisy_snr", 0) == "inf" && cell("stopped_early", 0) == "false")
        #expect(cell("test.mse", 4) == "" && cell("validation.psnr", 4) == "" && cell("worker", 4) == "")
        #expect(cell("failure_reason", 0) == "" && cell("parameter_count", 1) == "")
        #expect(!text.contains("nil") && !text.contains("null"))
    }

    @Test func jsonLinesKeepJSONTypes() throws {
        let filled = try Self.filled()
        let table = try ExportTable.trials(in: filled.store)
        let lines = table.render(.jsonl).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 9 && lines.last == "")
        for line in lines.dropLast() {
            // Foundation reads every line, with every column as a key.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == Set(table.columns))
            // In column order, with the types JSON has.
            guard case .object(let members) = try JSONValue(parsing: String(line)) else {
                Issue.record("not an object: \(line)")
                continue
            }
            #expect(members.map(\.key) == table.columns)
        }
        let done = try JSONValue(parsing: String(lines[0]))
        #expect(done["seed"] == .integer(0) && done["attempt"] == .integer(1) && done["epochs_trained"] == .integer(2))
        #expect(done["seconds"] == .number(4.5) && done["stopped_early"] == .boolean(false))
        #expect(done["model.encoder"] == .array([.integer(64)]) && done["noise.sigma"] == .number(0.1))
        #expect(done["test.noisy_snr"] == .text("inf") && done["failure_reason"] == .null)
        #expect(lines[0].contains(#""seconds":4.5,"#) && lines[0].contains(#""test.noisy_snr":"inf""#))
        let pending = try JSONValue(parsing: String(lines[4]))
        #expect(pending["validation.psnr"] == .null && pending["worker"] == .null && pending["attempt"] == .integer(0))
        #expect(lines[4].contains(#""validation.psnr":null"#))
    }

    @Test func epochRowsHoldEveryStoredEpochWithEveryFigure() throws {
        let filled = try Self.filled()
        let table = try ExportTable.epochs(in: filled.store)
        #expect(Array(table.columns.prefix(4)) == ["trial_id", "configuration_id", "seed", "epoch"])
        for column in ["train_loss", "train_penalty", "training_seconds", "evaluation_seconds", "samples_per_second",
            "validation.psnr", "validation.noisy_psnr", "validation.code_mean_activation"]
        {
            #expect(table.columns.contains(column), "\(column)")
        }
        #expect(!table.columns.contains { $0.hasPrefix("test.") || $0 == "model.encoder" })
        // Done: 2 epochs; failed and stopped: 1 each; running and pending: none. Trials in spec order.
        #expect(table.rows.count == 4)
        let ids = filled.trials.map { JSONValue.text($0.id.rawValue) }
        #expect((0..<4).map { table.value("trial_id", inRow: $0) } == [ids[0], ids[0], ids[1], ids[2]])
        #expect((0..<4).map { table.value("epoch", inRow: $0) } == [.integer(1), .integer(2), .integer(1), .integer(1)])
        let epochs = filled.result.summary.epochs
        #expect(table.value("validation.psnr", inRow: 0) == .number(epochs[0].validation.denoised.psnr))
        #expect(table.value("train_loss", inRow: 1) == .number(epochs[1].trainLoss))
        #expect(Self.number(table.value("samples_per_second", inRow: 2)) == filled.failedEpoch.samplesPerSecond)

        let records = RankingRenderingTests.parseCSV(table.render(.csv))
        #expect(records.count == 5 && records[0] == table.columns)
        #expect(table.render(.jsonl).split(separator: "\n").count == 4)
    }

    @Test func aRunWithoutTrialsHasOnlyTheHeader() throws {
        let scratch = try ScratchStore()
        let table = try ExportTable.trials(in: scratch.store)
        #expect(table.rows.isEmpty && table.columns == ExportTable.trialColumns)
        #expect(table.render(.csv) == ExportTable.trialColumns.joined(separator: ",") + "\n")
        #expect(table.render(.jsonl) == "")
    }

    /// A sweep holding the write lock mid-transaction neither blocks the export nor shows it what it has not
    /// committed.
    @Test func exportReadsWhatIsCommittedWhileAWriterHoldsTheLock() throws {
        let filled = try Self.filled()
        let started = Date()
        let (reader, table) = try filled.store.batch {
            try filled.store.recordFailure(filled.trials[4].id, reason: "uncommitted")
            // Opened, not only read, while the lock is held: opening writes nothing to a current store.
            let reader = try SweepStore.openRun(at: filled.scratch.runDirectory.path)
            return (reader, try ExportTable.trials(in: reader))
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(table.value("state", inRow: 4) == .text("pending"))
        #expect(try ExportTable.trials(in: reader).value("state", inRow: 4) == .text("failed"))
    }

    @Test func notARunDirectoryIsNamed() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-export")
        let missing = directory.url.appendingPathComponent("nowhere").path
        let file = try directory.file("spec.yaml")
        try Data("name: x".utf8).write(to: file)
        for (path, reason) in [
            (missing, "no such directory"), (file.path, "a file, not a directory"), (directory.url.path, "no sweep.sqlite"),
        ] {
            let error = #expect(throws: ExportError.self) { try SweepStore.openRun(at: path) }
            #expect(error?.description.hasPrefix("\(path): not a run directory: \(reason)") == true, "\(String(describing: error))")
        }
    }
}
