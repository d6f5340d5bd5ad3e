import Cluster
import Foundation
import Sweep
import TestSupport
import Testing
import Transport

/// Killed processes and hostile peers, with real processes over loopback TCP.
@Suite(
    "Nothing lost: kills, restarts and hostile input", .serialized)
struct ReliabilityTests {
    /// Six trials of about a second each, so that kills land mid-trial.
    static let specText = """
        name: reliable
        base:
          data: {name: mnist, training_limit: 6000, evaluation_limit: 200}
          model: {encoder: [32]}
          epochs: 3
        grid:
          noise.sigma: [0.1, 0.3, 0.5]
          model.sparsity: [0, 0.0001]
        seeds: 1
        """

    static func prepare() throws -> (TemporaryDirectory, URL, URL) {
        let directory = try TemporaryDirectory(prefix: "reliability")
        let spec = try directory.file("reliable.yaml")
        try specText.write(to: spec, atomically: true, encoding: .utf8)
        return (directory, spec, directory.url.appendingPathComponent("run"))
    }

    static func endpoint() -> String { LoopbackPort.nextEndpoint() }

    static func worker(_ endpoint: String, name: String) throws -> CommandRunner {
        try CommandRunner(["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", name])
    }

    /// A worker that has started its first trial.
    static func workerInTrial(_ endpoint: String, name: String) throws -> CommandRunner {
        let worker = try worker(endpoint, name: name)
        #expect(worker.waitForOutput(containing: "running trial", inErrors: true, timeout: 60))
        return worker
    }

    /// A coordinator that is listening on `endpoint`.
    static func coordinator(_ spec: URL, _ runDirectory: URL, _ endpoint: String, _ extra: [String] = []) throws
        -> CommandRunner
    {
        let coordinator = try CommandRunner(
            ["coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path] + extra)
        #expect(
            coordinator.waitForOutput(containing: "listening on", timeout: 30),
            "no 'listening on' within 30 s; stdout: \(coordinator.outputSoFar) stderr: \(coordinator.errorSoFar)")
        return coordinator
    }

    /// Every trial of the spec is done, each with exactly one result.
    static func expectEachTrialDoneOnce(_ runDirectory: URL) throws {
        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        #expect(counts.done == 6 && counts.pending == 0 && counts.running == 0 && counts.failed == 0)
        let results = try store.results()
        #expect(results.count == 6)
        #expect(Set(results.map(\.trial.id)).count == 6)
    }

    @Test func killedWorkerTrialIsRequeuedAndTheSweepCompletes() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let coordinator = try Self.coordinator(spec, runDirectory, endpoint, ["--lease-timeout", "2"])
        let victim = try Self.workerInTrial(endpoint, name: "victim")
        victim.send(SIGKILL)
        _ = try victim.wait(timeout: 10)
        let survivor = try Self.worker(endpoint, name: "survivor")
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("lease ended; trial requeued"))
        #expect(try survivor.wait(timeout: 30).status == 0)
        try Self.expectEachTrialDoneOnce(runDirectory)
    }

    @Test func killedCoordinatorRestartsWithoutRerunningOrLosingAnything() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let first = try Self.coordinator(spec, runDirectory, endpoint, ["--lease-timeout", "3"])
        let workers = try (0..<2).map { try Self.worker(endpoint, name: "w\($0)") }
        // Kill the coordinator once at least one trial is stored and others are running.
        let deadline = Date().addingTimeInterval(120)
        var doneBeforeKill = 0
        while Date() < deadline {
            if let store = try? SweepStore.open(existing: runDirectory), let done = try? store.counts().done, done >= 1 {
                doneBeforeKill = done
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        first.send(SIGKILL)
        _ = try first.wait(timeout: 10)
        #expect(doneBeforeKill >= 1)
        let finishedBefore = try Set(SweepStore.open(existing: runDirectory).results().map(\.trial.id))

        let second = try CommandRunner(
            ["coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path, "--lease-timeout", "3"])
        let outcome = try second.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("\(finishedBefore.count) already done (reused)"))
        for worker in workers { #expect(try worker.wait(timeout: 30).status == 0) }
        try Self.expectEachTrialDoneOnce(runDirectory)
        // What was finished before the kill was not run again: its stored result is the first one.
        let store = try SweepStore.open(existing: runDirectory)
        for id in finishedBefore { #expect(try store.state(of: id) == .done) }
    }

    @Test func trialIsFailedWithItsReasonAfterItsLastAttempt() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let coordinator = try Self.coordinator(spec, runDirectory, endpoint, ["--lease-timeout", "2", "--max-attempts", "1"])
        let victim = try Self.workerInTrial(endpoint, name: "victim")
        victim.send(SIGKILL)
        _ = try victim.wait(timeout: 10)
        let survivor = try Self.worker(endpoint, name: "survivor")
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("lost its worker on 1 lease(s)"))
        #expect(outcome.standardOutput.contains("1 × lost its worker on 1 lease(s)"))
        #expect(try survivor.wait(timeout: 30).status == 0)
        let counts = try SweepStore.open(existing: runDirectory).counts()
        #expect(counts.failed == 1 && counts.done == 5)
    }

    @Test func terminatedCoordinatorLeavesAResumableRun() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let first = try Self.coordinator(spec, runDirectory, endpoint)
        let worker = try Self.workerInTrial(endpoint, name: "steady")
        first.send(SIGTERM)
        let stopped = try first.wait(timeout: 30)
        #expect(stopped.status == 130)
        #expect(!stopped.wasSignalled)
        let second = try CommandRunner.run(
            ["coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path], timeout: 240)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(try worker.wait(timeout: 30).status == 0)
        try Self.expectEachTrialDoneOnce(runDirectory)
    }

    @Test func rogueFramesNeitherCrashTheCoordinatorNorTouchTheResults() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let coordinator = try Self.coordinator(spec, runDirectory, endpoint)

        // A rogue peer: random frames, malformed envelopes, unknown versions and types, bad bodies,
        // non-finite numbers, results for unknown trials, messages only a coordinator may send.
        let context = try MessageContext()
        let rogue = try Socket(.dealer, context: context, linger: 0)
        try rogue.set(.sendTimeout, 5000)
        try rogue.connect(endpoint)
        var generator = SystemRandomNumberGenerator()
        func randomBytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        func envelopeFrames(_ type: String, _ body: String, version: UInt16 = 1) -> [Data] {
            [Data([UInt8(version >> 8), UInt8(version & 0xFF)]) + Data(type.utf8), Data(body.utf8)]
        }
        let crafted: [[Data]] = [
            envelopeFrames("hello", "{}"), envelopeFrames("hello", "not json"),
            envelopeFrames("ready", "{}", version: 9), envelopeFrames("teleport", "{}"),
            envelopeFrames("result", "\u{0}\u{0}"), envelopeFrames("epoch", #"{"trialId": "x", "metrics": {"epoch": 1e999}}"#),
            envelopeFrames("failure", #"{"trialId": 5, "reason": []}"#), envelopeFrames("trial", "{}"),
            envelopeFrames("finished", "{}"), envelopeFrames("progress", #"{"trialId": "x", "progress": null}"#),
            [Data()], [Data([0]), Data(), Data()],
        ]
        var sent = 0
        for round in 0..<3000 {
            let frames: [Data] =
                round % 3 == 0
                ? crafted[round / 3 % crafted.count]
                : (0..<Int.random(in: 1...4, using: &generator)).map { _ in randomBytes(Int.random(in: 0...64, using: &generator)) }
            if try rogue.send(frames) { sent += 1 }
        }
        #expect(sent > 2000)

        let workers = try (0..<2).map { try Self.worker(endpoint, name: "honest\($0)") }
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("rejected"))
        for worker in workers { #expect(try worker.wait(timeout: 30).status == 0) }
        try Self.expectEachTrialDoneOnce(runDirectory)
    }

    @Test func lateResultFromAnExpiredLeaseIsStoredOnce() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let endpoint = Self.endpoint()
        let coordinator = try Self.coordinator(spec, runDirectory, endpoint, ["--lease-timeout", "2"])
        // A worker frozen mid-trial (SIGSTOP) falls silent: its lease ends and its trial goes to another.
        let frozen = try Self.workerInTrial(endpoint, name: "frozen")
        frozen.send(SIGSTOP)
        let other = try Self.worker(endpoint, name: "other")
        #expect(coordinator.waitForOutput(containing: "lease ended; trial requeued", inErrors: true, timeout: 60))
        // Thawed, it finishes its stale trial and sends the result late: stored once, whoever is first.
        frozen.send(SIGCONT)
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(try other.wait(timeout: 30).status == 0)
        #expect(try frozen.wait(timeout: 30).status == 0)
        try Self.expectEachTrialDoneOnce(runDirectory)
    }

    @Test func divergingTrialIsFailedWithItsReasonAndTheSweepGoesOn() throws {
        let directory = try TemporaryDirectory(prefix: "divergence")
        let spec = try directory.file("diverging.yaml")
        try """
            name: diverging
            base:
              data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
              model: {encoder: [32]}
              epochs: 2
            grid:
              optimizer.learning_rate: [0.001, 1.0e+30]
            """.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let outcome = try CommandRunner.run(
            ["sweep", spec.path, "--run-dir", runDirectory.path, "--workers", "1", "--data-dir", GeneratedData.directory.path],
            timeout: 240)
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("1 trial(s) failed"))
        #expect(outcome.standardError.contains("training diverged"))
        let store = try SweepStore.open(existing: runDirectory)
        #expect(try store.counts().done == 1 && store.counts().failed == 1)
    }

    @Test(.enabled(if: NamespacePair.unavailableReason == nil, Comment(rawValue: NamespacePair.unavailableReason ?? "")))
    func trialIsRecoveredAfterANetworkCutBetweenTwoHosts() throws {
        let (directory, spec, runDirectory) = try Self.prepare()
        defer { withExtendedLifetime(directory) {} }
        let hosts = try NamespacePair()
        let endpoint = "tcp://\(hosts.coordinatorAddress):5555"
        let coordinator = try CommandRunner(
            ["coordinator", spec.path, "--bind", endpoint, "--insecure", "--run-dir", runDirectory.path,
             "--lease-timeout", "3"], namespace: hosts.coordinatorNamespace)
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let worker = try CommandRunner(
            ["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path, "--name", "remote"],
            namespace: hosts.workerNamespace)
        #expect(worker.waitForOutput(containing: "running trial", inErrors: true, timeout: 60))
        // Cut the link for longer than the lease, mid-trial, then bring it back.
        try hosts.setWorkerLink(up: false)
        #expect(coordinator.waitForOutput(containing: "lease ended; trial requeued", inErrors: true, timeout: 30))
        Thread.sleep(forTimeInterval: 3)
        try hosts.setWorkerLink(up: true)
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(try worker.wait(timeout: 60).status == 0)
        try Self.expectEachTrialDoneOnce(runDirectory)
    }
}
