import Foundation
import Sweep
import TestSupport
import Testing
import Training

/// An ASHA sweep with real workers: stops reach running trials, and the store tells stopped from done.
@Suite(
    "Early stopping, as processes", .serialized)
struct EarlyStoppingProcessTests {
    /// Eight small trials, 4 epochs; a sparsity weight of 0.1 or 1 crushes the code, so those lose at rung 1.
    static let specText = """
        name: asha-tiny
        base:
          data: {name: mnist, training_limit: 2000, evaluation_limit: 200}
          model: {code_activation: relu}
          epochs: 4
        grid:
          model.encoder: [[16], [64]]
          model.sparsity: [0, 1.0e-4, 0.1, 1]
        early_stopping: {kind: asha, rungs: [1, 2], reduction_factor: 2, unit: trial}
        """

    @Test func stoppedTrialsKeepTheirEpochsAndAreNotRanked() throws {
        let directory = try TemporaryDirectory(prefix: "asha-process")
        let spec = try directory.file("asha-tiny.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let outcome = try CommandRunner.run(
            ["sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir",
             GeneratedData.directory.path, "--no-report"], timeout: 300)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("Early stopping (asha rungs=1,2 reduction_factor=2"))

        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        #expect(counts.stopped >= 2 && counts.done >= 1 && counts.done + counts.stopped == 8, "\(counts)")
        let rule = try #require(try SweepSpec.load(from: spec).earlyStopping).description
        let decisions = try store.stoppingDecisions(rule: rule)
        let stoppedByDecision = Set(decisions.filter { $0.action == .stop }.map(\.trialID))
        let results = try store.results()
        #expect(results.count == counts.done)
        for result in results {
            #expect(!stoppedByDecision.contains(result.trial.id))
            #expect(try store.epochs(of: result.trial.id).count == 4)
        }
        for trial in try SweepSpec.load(from: spec).trials() where try store.state(of: trial.id) == .stopped {
            let stop = try #require(decisions.first { $0.trialID == trial.id && $0.action == .stop })
            #expect(stop.epoch == 1 || stop.epoch == 2)
            // It keeps the epochs it reported: at least up to the rung (more when, on a loaded machine, a
            // short epoch ended before the stop arrived).
            #expect(try store.epochs(of: trial.id).count >= stop.epoch)
        }
        let rank = try CommandRunner.run(["rank", runDirectory.path])
        #expect(rank.standardOutput.contains("stopped \(counts.stopped) of 8 trials (after epoch 1: "))
        withExtendedLifetime(directory) {}
    }
}
