import Datasets
import Foundation
import Sweep
import TestSupport
import Testing
import Training

/// The chaos run: a promoting sweep (Hyperband's brackets over ASHA's pauses) as real processes — a
/// coordinator and two workers training for real — whose processes are killed with SIGKILL, one at a time at
/// seeded random moments, eight times, each started again at once. The sweep still ends with every trial
/// settled once, each pause and promotion stored once and in order, every finished trial's epochs 1…n
/// stored once and equal to its result's, and no checkpoint left.
@Suite("Pause and promotion: the chaos run", .serialized)
struct PromotionChaosTests {
    static let specText = """
        name: chaos
        base:
          data: {name: mnist, training_limit: 4000, evaluation_limit: 200}
          model: {encoder: [64]}
          epochs: 5
        grid:
          noise.sigma: [0.1, 0.3, 0.5]
          optimizer.learning_rate: [0.0003, 0.001, 0.003]
          model.sparsity: [0, 0.0001]
        seeds: 1
        rank_by: validation.psnr
        early_stopping: {kind: hyperband, rungs: [1, 3], reduction_factor: 2}
        """

    @Test func killingCoordinatorAndWorkersAtRandomLosesNothingAndRepeatsNothing() throws {
        let directory = try TemporaryDirectory(prefix: "chaos")
        let spec = try directory.file("chaos.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let endpoint = "tcp://127.0.0.1:\(LoopbackPort.next())"
        let coordinatorArguments = [
            // Eight kills may cost one trial several leases by chance: what is checked is that nothing is lost
            // or repeated, not `--max-attempts` (its own tests check that).
            "coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path, "--lease-timeout", "2",
            "--max-attempts", "100", "--no-report",
        ]
        func worker(_ index: Int) throws -> CommandRunner {
            try CommandRunner(
                ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", "chaos-\(index)"])
        }
        var coordinator = try CommandRunner(coordinatorArguments)
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        var workers = [try worker(0), try worker(1)]
        var generator = SeededGenerator(seed: 20, stream: 0)
        var kills: [String] = []
        for round in 0..<8 {
            // Short enough that four kills land before a fast machine (a Zen 5) finishes the 18 trials.
            Thread.sleep(forTimeInterval: Double.random(in: 0.4...1.2, using: &generator))
            guard coordinator.waitForExit(timeout: 0) == false else { break }
            let victim = Int.random(in: 0...2, using: &generator)
            if victim == 2 {
                coordinator.send(SIGKILL)
                _ = try coordinator.wait(timeout: 30)
                coordinator = try CommandRunner(coordinatorArguments)
                kills.append("coordinator")
            } else {
                workers[victim].send(SIGKILL)
                _ = try workers[victim].wait(timeout: 30)
                workers[victim] = try worker(victim + 2 * (round + 1))
                kills.append("worker \(victim)")
            }
        }
        if !coordinator.waitForExit(timeout: 240) {
            let logs = workers.map { "\($0.errorSoFar.suffix(1500))" }.joined(separator: "\n---\n")
            Issue.record("the coordinator did not finish after kills \(kills):\n\(coordinator.errorSoFar.suffix(4000))\n--- workers:\n\(logs)")
        }
        let ended = try coordinator.wait(timeout: 1)
        #expect(ended.status == 0, "after kills \(kills): \(ended.standardError.suffix(2000))")
        for runner in workers { _ = try? runner.wait(timeout: 30) }
        #expect(kills.count >= 4, "the sweep ended before the chaos did: \(kills)")

        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        #expect(counts.total == 18 && counts.done + counts.stopped == 18 && counts.done >= 1, "\(counts) after \(kills)")
        let rule = try SweepSpec.load(from: spec).earlyStopping!.description
        let events = try store.promotionEvents(rule: rule).map { "\($0.action.rawValue) \($0.rung) \($0.trialID)" }
        #expect(Set(events).count == events.count, "a pause or promotion made twice: \(events)")
        for (index, event) in events.enumerated() where event.hasPrefix("promote") {
            let pause = event.replacingOccurrences(of: "promote", with: "pause")
            #expect(events.prefix(index).contains(pause), "\(event) before its pause")
        }
        #expect(try store.checkpointUsage().heldCount == 0)
        var stored: [TrialIdentifier: [EpochMetrics]] = [:]
        for (trial, metrics) in try store.currentEpochs() { stored[trial, default: []].append(metrics) }
        for result in try store.results() {
            let epochs = (stored[result.trial.id] ?? []).sorted { $0.epoch < $1.epoch }
            #expect(epochs.map(\.epoch) == [1, 2, 3, 4, 5], "\(result.trial.id)")
            #expect(epochs.map(\.validation) == result.summary.epochs.map(\.validation), "\(result.trial.id)")
        }
    }
}
