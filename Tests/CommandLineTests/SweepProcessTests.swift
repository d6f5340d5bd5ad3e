import Foundation
import Sweep
import TestSupport
import Testing
import Training

/// A coordinator and workers as real processes over TCP on loopback.
@Suite(
    "Distributed sweeps, as processes", .serialized)
struct SweepProcessTests {
    /// Six small trials on an MNIST subset: a few tenths of a second each in a release build.
    static let specText = """
        name: tiny
        base:
          data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
          model: {encoder: [32]}
          epochs: 2
        grid:
          noise.sigma: [0.1, 0.3, 0.5]
          model.sparsity: [0, 0.0001]
        seeds: 1
        group_by: [noise.sigma]
        """

    struct Run {
        let directory: TemporaryDirectory
        let spec: URL
        let runDirectory: URL
    }

    static func prepare(_ text: String = specText) throws -> Run {
        let directory = try TemporaryDirectory(prefix: "sweep-process")
        let spec = try directory.file("tiny.yaml")
        try text.write(to: spec, atomically: true, encoding: .utf8)
        return Run(directory: directory, spec: spec, runDirectory: directory.url.appendingPathComponent("run"))
    }

    /// A port below Linux's ephemeral range (32768–60999), which the machine's own connections (the tests' many
    /// clients among them) never take.
    static func freePort() -> Int { LoopbackPort.next() }

    @Test func everyGridPointCompletesOnceWithTheMetricsOfADirectTrainingRun() throws {
        let run = try Self.prepare()
        let endpoint = "tcp://127.0.0.1:\(Self.freePort())"
        let coordinator = try CommandRunner(
            ["coordinator", run.spec.path, "--bind", endpoint, "--run-dir", run.runDirectory.path])
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let workers = try (0..<3).map { index in
            try CommandRunner(
                ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", "w\(index)"])
        }
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "coordinator: \(outcome.standardError)")
        for worker in workers {
            let ended = try worker.wait(timeout: 30)
            #expect(ended.status == 0, "worker: \(ended.standardError)")
        }

        let store = try SweepStore.open(existing: run.runDirectory)
        let counts = try store.counts()
        #expect(counts.done == 6 && counts.pending == 0 && counts.running == 0 && counts.failed == 0)
        let results = try store.results()
        #expect(results.count == 6)
        #expect(Set(results.map(\.trial.id)).count == 6)
        #expect(Set(results.compactMap(\.worker)).count >= 2, "the trials were spread over the workers")
        for id in results.map(\.trial.id) { #expect(try store.weights(of: id) != nil) }
        #expect(FileManager.default.fileExists(atPath: run.runDirectory.appendingPathComponent("best-config.yaml").path))

        // One stored trial against `aesweep train` with the same configuration and seed.
        let stored = try #require(results.first)
        let config = try run.directory.file("trial.yaml")
        try stored.trial.configuration.yamlText().write(to: config, atomically: true, encoding: .utf8)
        let direct = try CommandRunner.run(
            ["train", "--config", config.path, "--data-dir", GeneratedData.directory.path, "--json"])
        #expect(direct.status == 0, "train: \(direct.standardError)")
        let directEpochs = try direct.standardOutput.split(separator: "\n").filter { $0.contains("\"epoch\"") }
            .map { try JSONDecoder.snakeCase.decode(EpochMetrics.self, from: Data($0.utf8)) }
        #expect(directEpochs.map(\.validation) == stored.summary.epochs.map(\.validation))
        #expect(directEpochs.map(\.trainLoss) == stored.summary.epochs.map(\.trainLoss))
        #expect(try store.epochs(of: stored.trial.id).map(\.validation) == directEpochs.map(\.validation))
    }

    @Test func rerunningTheSameSpecReusesFinishedTrialsAndRunsNothing() throws {
        let run = try Self.prepare()
        let first = try CommandRunner.run(
            ["sweep", run.spec.path, "--run-dir", run.runDirectory.path, "--workers", "2", "--data-dir",
             GeneratedData.directory.path], timeout: 240)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("6 new trial(s)"))
        let second = try CommandRunner.run(
            ["sweep", run.spec.path, "--run-dir", run.runDirectory.path, "--workers", "2", "--data-dir",
             GeneratedData.directory.path], timeout: 60)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("0 new trial(s), 6 already done (reused)"))
        #expect(!second.standardOutput.contains("starting"))

        // A changed spec: one σ dropped, one added.
        let changed = Self.specText.replacingOccurrences(of: "[0.1, 0.3, 0.5]", with: "[0.3, 0.5, 0.7]")
        try changed.write(to: run.spec, atomically: true, encoding: .utf8)
        let third = try CommandRunner.run(
            ["sweep", run.spec.path, "--run-dir", run.runDirectory.path, "--workers", "2", "--data-dir",
             GeneratedData.directory.path], timeout: 240)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(third.standardOutput.contains("2 new trial(s), 4 already done (reused), 0 resumed, 2 no longer in the spec"))
        let store = try SweepStore.open(existing: run.runDirectory)
        #expect(try store.results().count == 6)
        #expect(try store.results(inCurrentSpecOnly: false).count == 8)
    }

    @Test func workersJoiningLateAndLeavingBetweenTrialsLoseNothing() throws {
        // Trials long enough (about a second) that the early worker is still in its first one when stopped.
        let run = try Self.prepare(
            Self.specText.replacingOccurrences(of: "training_limit: 1000", with: "training_limit: 6000")
                .replacingOccurrences(of: "epochs: 2", with: "epochs: 3"))
        let endpoint = "tcp://127.0.0.1:\(Self.freePort())"
        let coordinator = try CommandRunner(
            ["coordinator", run.spec.path, "--bind", endpoint, "--run-dir", run.runDirectory.path])
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let early = try CommandRunner(
            ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", "early"])
        // The early worker leaves on SIGTERM in the middle of its first trial, handing it back.
        #expect(early.waitForOutput(containing: "running trial", inErrors: true, timeout: 60))
        early.send(SIGTERM)
        let left = try early.wait(timeout: 60)
        #expect(left.status == 0, "\(left.standardError)")
        #expect(left.standardError.contains("stopping: handing trial"))
        let late = try (0..<2).map { index in
            try CommandRunner(
                ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", "late\(index)"])
        }
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for worker in late { #expect(try worker.wait(timeout: 30).status == 0) }
        let store = try SweepStore.open(existing: run.runDirectory)
        #expect(try store.counts().done == 6)
        #expect(try Set(store.results().map(\.trial.id)).count == 6)
    }

    @Test func statusAnswersWhileACoordinatorRunsAndFailsWithoutOne() throws {
        let run = try Self.prepare()
        let endpoint = "tcp://127.0.0.1:\(Self.freePort())"
        let coordinator = try CommandRunner(
            ["coordinator", run.spec.path, "--bind", endpoint, "--run-dir", run.runDirectory.path])
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let status = try CommandRunner.run(["status", "--connect", endpoint, "--json"], timeout: 30)
        #expect(status.status == 0, "\(status.standardError)")
        #expect(status.standardOutput.contains("\"sweep\" : \"tiny\""))
        #expect(status.standardOutput.contains("\"pending\" : 6"))
        let worker = try CommandRunner(["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path])
        #expect(try coordinator.wait(timeout: 240).status == 0)
        #expect(try worker.wait(timeout: 30).status == 0)

        let nobody = try CommandRunner.run(["status", "--connect", endpoint, "--timeout", "0.5"], timeout: 30)
        #expect(nobody.status == 1)
        #expect(nobody.standardError.contains("no answer from a coordinator at \(endpoint)"))

        let ranking = try CommandRunner.run(["rank", run.runDirectory.path, "--format", "csv"])
        #expect(ranking.status == 0, "\(ranking.standardError)")
        #expect(ranking.standardOutput.split(separator: "\n").count >= 7)
        let missing = try CommandRunner.run(["rank", run.directory.url.appendingPathComponent("nowhere").path])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("nowhere"))
    }

    @Test func keepAliveWorkerStartedBeforeAnyCoordinatorServesTwoSweepsInTurn() throws {
        let run = try Self.prepare()
        let endpoint = "tcp://127.0.0.1:\(Self.freePort())"
        let worker = try CommandRunner(
            ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--keep-alive"])
        Thread.sleep(forTimeInterval: 1)
        let first = try CommandRunner.run(
            ["coordinator", run.spec.path, "--bind", endpoint, "--run-dir", run.runDirectory.path], timeout: 240)
        #expect(first.status == 0, "\(first.standardError)")
        let second = run.directory.url.appendingPathComponent("second")
        let changed = try run.directory.file("second.yaml")
        try Self.specText.replacingOccurrences(of: "name: tiny", with: "name: second").write(
            to: changed, atomically: true, encoding: .utf8)
        let next = try CommandRunner.run(
            ["coordinator", changed.path, "--bind", endpoint, "--run-dir", second.path], timeout: 240)
        #expect(next.status == 0, "\(next.standardError)")
        #expect(try SweepStore.open(existing: second).counts().done == 6)
        worker.send(SIGTERM)
        let ended = try worker.wait(timeout: 30)
        #expect(ended.status == 0)
        #expect(ended.standardError.contains("waiting for the next one"))
    }

    @Test func invalidSpecIsRefusedWithFileKeyAndLine() throws {
        let run = try Self.prepare(
            """
            name: broken
            base:
              data: {name: mnist}
            grid:
              noise.sigma: [0.1, -0.5]
              model.dropout: []
            """)
        let outcome = try CommandRunner.run(["sweep", run.spec.path, "--check"])
        #expect(outcome.status == 65)
        #expect(outcome.standardError.contains("tiny.yaml:5"))
        #expect(outcome.standardError.contains("noise.sigma"))
        #expect(outcome.standardError.contains("model.dropout"))
    }

    @Test func checkPrintsTheExpandedGrid() throws {
        let run = try Self.prepare()
        let outcome = try CommandRunner.run(["sweep", run.spec.path, "--check"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let spec = try SweepSpec.load(from: run.spec)
        for trial in spec.trials() { #expect(outcome.standardOutput.contains(trial.id.rawValue)) }
    }

    /// A TPE search of 10 proposals, a few tenths of a second per trial.
    static let tpeSpecText = """
        name: tpe
        base:
          data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
          model: {encoder: [16]}
          epochs: 1
        method: tpe
        samples: 10
        startup_samples: 4
        sample_seed: 7
        space:
          optimizer.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
          model.dropout: {uniform: [0, 0.4]}
          model.encoder: {choice: [[16], [32]]}
        seeds: 1
        """

    /// `aesweep sweep` of the TPE spec with one local worker, into `runDirectory`.
    static func tpeSweep(_ run: Run, into runDirectory: String) -> [String] {
        [
            "sweep", run.spec.path, "--workers", "1", "--run-dir", runDirectory, "--data-dir",
            GeneratedData.directory.path, "--no-report", "--no-dashboard", "--lease-timeout", "2",
        ]
    }

    @Test func aTPESweepKilledHalfwayAndRestartedProposesWhatAnUninterruptedOneDoes() throws {
        let run = try Self.prepare(Self.tpeSpecText)
        let reference = run.directory.url.appendingPathComponent("reference").path
        let uninterrupted = try CommandRunner.run(Self.tpeSweep(run, into: reference), timeout: 240)
        #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")
        let expected = try SweepStore.open(existing: URL(fileURLWithPath: reference)).proposals()
        #expect(expected.count == 10)
        #expect(expected.map(\.resultsSeen) == Array(0..<10), "one worker: each proposal saw every result before it")

        // The same sweep, killed (SIGKILL: nothing flushed, nothing said) once 4 proposals are stored.
        let killed = run.directory.url.appendingPathComponent("killed")
        let first = try CommandRunner(Self.tpeSweep(run, into: killed.path))
        var stored = 0
        for _ in 0..<2400 where stored < 4 {
            Thread.sleep(forTimeInterval: 0.05)
            stored = (try? SweepStore.open(existing: killed).proposals().count) ?? 0
        }
        first.send(SIGKILL)
        _ = try first.wait(timeout: 30)
        let before = try SweepStore.open(existing: killed).proposals()
        #expect((4..<10).contains(before.count), "killed after \(before.count) proposals")

        let rerun = try CommandRunner.run(Self.tpeSweep(run, into: killed.path), timeout: 240)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(try SweepStore.open(existing: killed).proposals() == expected)
        #expect(try SweepStore.open(existing: killed).counts().done == 10)
    }

    /// Six trials of 4 epochs on an MNIST subset, ASHA pausing at epochs 1 and 2 and promoting the best half.
    static let promotingSpecText = """
        name: promoting
        base:
          data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
          model: {encoder: [32]}
          epochs: 4
        grid:
          noise.sigma: [0.1, 0.3, 0.5]
          optimizer.learning_rate: [0.0003, 0.003]
        seeds: 1
        rank_by: validation.psnr
        early_stopping: {kind: asha, mode: promote, rungs: [1, 2], reduction_factor: 2}
        """

    /// `aesweep sweep` of a promoting spec killed with SIGKILL (coordinator and its worker) once trials have
    /// paused, and run again: every trial ends done or retired, each pause and promotion once, no checkpoint
    /// left, and each trial that finished in both runs trained the same epochs and test figures, bit for bit,
    /// though it was paused, its checkpoint stored, and resumed from it by another process.
    @Test func aPromotingSweepKilledAndRestartedResumesPausedTrialsBitForBit() throws {
        let run = try Self.prepare(Self.promotingSpecText)
        let reference = run.directory.url.appendingPathComponent("reference")
        let uninterrupted = try CommandRunner.run(Self.tpeSweep(run, into: reference.path), timeout: 240)
        #expect(uninterrupted.status == 0, "\(uninterrupted.standardError)")
        let expectedStore = try SweepStore.open(existing: reference)
        let rule = try SweepSpec.parse(Self.promotingSpecText, file: "promoting.yaml").earlyStopping!.description
        let expectedResults = Dictionary(try expectedStore.results().map { ($0.trial.id, $0.summary) }) { first, _ in first }
        #expect(try expectedStore.counts() == StateCounts(done: 1, stopped: 5))
        #expect(try expectedStore.promotionEvents(rule: rule).filter { $0.action == .promote }.count >= 4)
        #expect(uninterrupted.standardOutput.contains("Checkpoints:"), "\(uninterrupted.standardOutput)")

        let killed = run.directory.url.appendingPathComponent("killed")
        let first = try CommandRunner(Self.tpeSweep(run, into: killed.path))
        var pauses = 0
        for _ in 0..<2400 where pauses < 4 {
            Thread.sleep(forTimeInterval: 0.05)
            pauses = (try? SweepStore.open(existing: killed).promotionEvents(rule: rule).count) ?? 0
        }
        first.send(SIGKILL)
        _ = try first.wait(timeout: 30)
        #expect(pauses >= 4)
        let rerun = try CommandRunner.run(Self.tpeSweep(run, into: killed.path), timeout: 240)
        #expect(rerun.status == 0, "\(rerun.standardError)")

        let store = try SweepStore.open(existing: killed)
        let counts = try store.counts()
        #expect(counts.done + counts.stopped == 6 && counts.done >= 1, "\(counts)")
        let events = try store.promotionEvents(rule: rule).map { "\($0.action.rawValue) \($0.rung) \($0.trialID)" }
        #expect(Set(events).count == events.count, "\(events)")
        #expect(try store.checkpointUsage().heldCount == 0)
        // Every epoch both runs stored is the same, timings aside: each trial's first (trained from scratch),
        // and the later ones of trials promoted in both (trained after resuming from a checkpoint; the best
        // at the first rung is promoted whatever the order of arrivals).
        var expectedEpochs: [String: EpochMetrics] = [:]
        for (trial, metrics) in try expectedStore.currentEpochs() { expectedEpochs["\(trial)/\(metrics.epoch)"] = metrics }
        var compared: [Int: Int] = [:]
        for (trial, metrics) in try store.currentEpochs() {
            guard let expected = expectedEpochs["\(trial)/\(metrics.epoch)"] else { continue }
            #expect(metrics.withoutTimings == expected.withoutTimings, "\(trial) epoch \(metrics.epoch)")
            compared[metrics.epoch, default: 0] += 1
        }
        #expect(compared[1] == 6 && (compared[2] ?? 0) >= 1, "\(compared)")
        for result in try store.results() {
            guard let expected = expectedResults[result.trial.id] else { continue }
            #expect(result.summary.test == expected.test, "\(result.trial.id)")
        }
    }

}

extension JSONDecoder {
    /// Reads what `aesweep train --json` prints (snake_case keys).
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
