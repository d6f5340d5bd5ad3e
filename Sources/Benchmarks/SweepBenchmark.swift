// `aesweep bench sweep`: what the coordinator itself costs per trial.

import Cluster
import Foundation
import Logging
import Sweep
import Training
import Transport

/// Runs sweeps of trials that do no training work (workers started with `--simulate` answer each trial
/// at once with a fixed result) through the real coordinator, real worker processes, real sockets and
/// the real store, and measures the coordinator's throughput and per-trial latency.
public struct SweepBenchmark: Sendable {
    public struct Measurement: Codable, Sendable {
        public var workers: Int
        public var trials: Int
        /// From the coordinator being ready to the last result stored.
        public var seconds: Double
        public var trialsPerSecond: Double
        /// Wall time per trial: the coordinator's whole cost when it is the bottleneck.
        public var millisecondsPerTrial: Double
        /// From sending a trial to a worker to its result being committed: mean, median and 99th percentile.
        public var dispatchToStoredMean: Double
        public var dispatchToStoredMedian: Double
        public var dispatchToStored99: Double
    }

    public var trials = 4000
    public var workerCounts = [1, 4, 16]
    /// The `aesweep` executable whose `worker --simulate` runs the trials.
    public var executable: URL

    public init(executable: URL) {
        self.executable = executable
    }

    /// The spec: one grid point with `trials` seeds.
    func specText() -> String {
        """
        name: bench-sweep
        base: {data: {name: fashion-mnist}, model: {encoder: [8]}, epochs: 1}
        grid: {noise.sigma: [0.5]}
        seeds: \(trials)
        """
    }

    public func run(logger: Logger) throws -> [Measurement] {
        // The coordinator runs on the calling thread; named, so that profiles tell it from the workers.
        Thread.current.name = "aesweep.coord"
        let spec = try SweepSpec.parse(specText(), file: "bench-sweep.yaml")
        return try workerCounts.map { workers in try measure(spec: spec, workers: workers, logger: logger) }
    }

    /// One sweep of `spec` by `workers` simulated workers in a new run directory, measured. `prepare` may
    /// change the coordinator's options once its store exists (and is called with that store's directory);
    /// `onStatus` hears the coordinator's status every second.
    func measure(
        spec: SweepSpec, workers: Int, logger: Logger,
        prepare: (URL, inout Coordinator.Options) throws -> Void = { _, _ in },
        onStatus: (SweepStatus) -> Void = { _ in }
    ) throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("aesweep-bench-sweep-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SweepStore(runDirectory: directory)
        let context = try MessageContext()
        var options = Coordinator.Options(bind: "tcp://127.0.0.1:*")
        options.finishingGrace = .zero  // timed to the last stored result, not beyond
        try prepare(directory, &options)
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: options, stop: StopSignal(), logger: logger)
        let fleet = LocalWorkerFleet(
            command: LocalWorkerFleet.Command(executable: executable) { launch in
                [
                    "worker", "--connect", launch.endpoint, "--blas-threads", "1",
                    "--name", "\(ProcessInfo.processInfo.hostName):local-\(launch.index)",
                    "--exit-with-parent", "\(launch.parentProcessIdentifier)", "--simulate", "--log-level", "warning",
                ]
            })
        var readyAt = ContinuousClock.now
        var fleetError: (any Error)?
        let outcome = try coordinator.run(
            onReady: { endpoint, _ in
                do {
                    try fleet.start(
                        count: workers, endpoint: endpoint, logDirectory: directory.appendingPathComponent("workers"))
                } catch {
                    fleetError = error
                }
                readyAt = .now
            }, onStatus: onStatus)
        let seconds = (ContinuousClock.now - readyAt).seconds
        // Told nothing after the last result (no grace), the workers are ended now.
        fleet.waitForExit(timeout: 1)
        fleet.terminate()
        if let fleetError { throw fleetError }
        let latencies = outcome.dispatchToStoredSeconds.sorted()
        func percentile(_ fraction: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(fraction * Double(latencies.count)))]
        }
        return Measurement(
            workers: workers, trials: outcome.counts.done, seconds: seconds,
            trialsPerSecond: Double(outcome.counts.done) / seconds,
            millisecondsPerTrial: 1000 * seconds / Double(max(outcome.counts.done, 1)),
            dispatchToStoredMean: 1000 * latencies.reduce(0, +) / Double(max(latencies.count, 1)),
            dispatchToStoredMedian: 1000 * percentile(0.5), dispatchToStored99: 1000 * percentile(0.99))
    }
}
