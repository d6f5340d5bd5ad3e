import Foundation
import Sweep
import TestSupport
import Testing

/// Two hundred simulated workers in one process (`worker --simulate --count 200`) lose their coordinator
/// mid-sweep for longer than they wait before counting it lost, and come back to a new one on the same store,
/// all at once: every trial is still done exactly once, each with its epochs, and the workers end with the
/// sweep.
@Suite("Many workers reconnecting", .serialized)
struct WorkerFleetReconnectionTests {
    static let specText = """
        name: fleet
        base: {data: {name: fashion-mnist}, model: {encoder: [8]}, epochs: 2}
        grid: {noise.sigma: [0.1, 0.2, 0.3, 0.4]}
        seeds: 300
        """

    @Test func twoHundredWorkersComingBackToARestartedCoordinatorDoEveryTrialOnce() throws {
        let directory = try TemporaryDirectory(prefix: "fleet")
        let spec = try directory.file("fleet.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let endpoint = "tcp://127.0.0.1:\(LoopbackPort.next())"
        let coordinatorArguments = [
            "coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path, "--no-report",
            "--lease-timeout", "30",
        ]
        var coordinator = try CommandRunner(coordinatorArguments)
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let fleet = try CommandRunner([
            "worker", "--connect", endpoint, "--simulate", "--simulated-epoch-seconds", "0.25", "--count", "200",
            "--name", "fleet", "--log-level", "warning",
        ])
        // A quarter of the 1,200 trials stored, then the coordinator dies with 200 trials in flight.
        var done = 0
        for _ in 0..<1200 where done < 300 {
            Thread.sleep(forTimeInterval: 0.05)
            done = (try? SweepStore.open(readingOnly: runDirectory).counts().done) ?? 0
        }
        #expect(done >= 300)
        coordinator.send(SIGKILL)
        _ = try coordinator.wait(timeout: 30)
        // Gone for longer than a worker waits before counting it lost (5 s): they back off, then return.
        Thread.sleep(forTimeInterval: 8)
        coordinator = try CommandRunner(coordinatorArguments)
        let ended = try coordinator.wait(timeout: 240)
        #expect(ended.status == 0, "\(ended.standardError.suffix(2000))")
        let fleetEnded = try fleet.wait(timeout: 60)
        #expect(fleetEnded.status == 0, "\(fleetEnded.standardError.suffix(2000))")

        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        #expect(counts.done == 1200 && counts.total == 1200, "\(counts)")
        let results = try store.results()
        #expect(results.count == 1200 && Set(results.map(\.trial.id)).count == 1200)
        var epochs: [TrialIdentifier: [Int]] = [:]
        for (trial, metrics) in try store.currentEpochs() { epochs[trial, default: []].append(metrics.epoch) }
        #expect(epochs.count == 1200 && epochs.values.allSatisfy { $0.sorted() == [1, 2] })
        // Their names reached the store: the trials were spread over many of the 200 workers.
        #expect(Set(results.compactMap(\.worker)).count >= 100)
    }
}
