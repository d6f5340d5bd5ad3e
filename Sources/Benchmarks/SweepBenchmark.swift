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
        /// From handing a trial out to its result being committed, less the seconds its worker reports for
        /// it (from receiving the trial to sending the result): the coordinator's share (its queues, its store,
        /// the sockets). Mean, median and 99th percentile, in milliseconds.
        public var dispatchToStoredMean: Double
        public var dispatchToStoredMedian: Double
        public var dispatchToStored99: Double
        /// The coordinator's processor seconds over the run (this process: the coordinator, its store and its
        /// sockets; the workers are other processes), and its resident memory at the end.
        public var coordinatorProcessorSeconds: Double = 0
        public var coordinatorResidentBytes: Int = 0
        /// Trials per second over the first and the last `window` results stored (nil when fewer ran).
        public var firstWindowTrialsPerSecond: Double?
        public var lastWindowTrialsPerSecond: Double?
        /// The store's files at the end.
        public var storeBytes: Int = 0
    }

    public var trials = 4000
    public var workerCounts = [1, 4, 16]
    /// Run the simulated workers in one process (`worker --simulate --count N`) rather than one each.
    public var workersInOneProcess = false
    /// The results over which the first and last throughput are measured.
    public var window = 10_000
    /// Seconds each simulated trial's one epoch takes on its worker (0: answered at once). With many workers,
    /// trials that take time keep the coordinator from being flooded by workers that all hold a trial, as
    /// real ones are. The latencies reported are always dispatch to stored less the worker's own seconds.
    public var epochSeconds = 0.0
    /// Each trial's time is `epochSeconds` times a factor drawn uniformly from 1 ± this: trials of one length
    /// keep a thousand workers finishing together, in waves, as identical trials on identical machines do.
    public var epochSpread = 0.0
    /// The `aesweep` executable whose `worker --simulate` runs the trials.
    public var executable: URL
    /// Requested (Ctrl-C): the run in progress stops after its current batch, as a sweep's coordinator does,
    /// its workers are ended, and no further run starts.
    public let stop = StopSignal()

    public init(executable: URL) {
        self.executable = executable
    }

    /// The spec: `trials` trials as grid points × seeds (at most 10,000 seeds, so that a million fit).
    func specText() -> String {
        Self.specText(name: "bench-sweep", trials: trials, epochs: 1)
    }

    /// A spec of `trials` simulated trials (or a few more, to fill the last grid point's seeds) of `epochs`
    /// epochs: grid points × up to 10,000 seeds.
    static func specText(name: String, trials: Int, epochs: Int) -> String {
        let points = (trials + 9_999) / 10_000
        let seeds = (trials + points - 1) / points
        let sigmas = (0..<points).map { String(format: "%.4f", 0.5 + Double($0) * 1e-3) }.joined(separator: ", ")
        return """
            name: \(name)
            base: {data: {name: fashion-mnist}, model: {encoder: [8]}, epochs: \(epochs)}
            grid: {noise.sigma: [\(sigmas)]}
            seeds: \(seeds)
            """
    }

    public func run(logger: Logger) throws -> [Measurement] {
        // The coordinator runs on the calling thread; named, so that profiles tell it from the workers.
        Thread.current.name = "aesweep.coord"
        let spec = try SweepSpec.parse(specText(), file: "bench-sweep.yaml")
        var measurements: [Measurement] = []
        for workers in workerCounts where !stop.isRequested {
            measurements.append(try measure(spec: spec, workers: workers, logger: logger))
        }
        return measurements
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
            spec: spec, store: store, context: context, options: options, stop: stop, logger: logger)
        let inOneProcess = workersInOneProcess
        let epochSeconds = epochSeconds
        let epochSpread = epochSpread
        let fleet = LocalWorkerFleet(
            command: LocalWorkerFleet.Command(executable: executable) { launch in
                [
                    "worker", "--connect", launch.endpoint, "--blas-threads", "1",
                    "--name", "\(ProcessInfo.processInfo.hostName):local-\(launch.index)",
                    "--exit-with-parent", "\(launch.parentProcessIdentifier)", "--simulate", "--log-level", "warning",
                ] + (inOneProcess ? ["--count", "\(workers)"] : [])
                    + (epochSeconds > 0 ? ["--simulated-epoch-seconds", String(epochSeconds)] : [])
                    + (epochSeconds > 0 && epochSpread > 0 ? ["--simulated-epoch-spread", String(epochSpread)] : [])
            })
        var readyAt = ContinuousClock.now
        var processorAtReady = 0.0
        var fleetError: (any Error)?
        let outcome = try coordinator.run(
            onReady: { endpoint, _ in
                do {
                    try fleet.start(
                        count: inOneProcess ? 1 : workers, endpoint: endpoint,
                        logDirectory: directory.appendingPathComponent("workers"))
                } catch {
                    fleetError = error
                }
                readyAt = .now
                processorAtReady = ResourceUsage.processorSeconds
            }, onStatus: onStatus)
        let seconds = (ContinuousClock.now - readyAt).seconds
        let processorSeconds = ResourceUsage.processorSeconds - processorAtReady
        let storedTimes = try store.resultTimes()
        func windowRate(_ times: ArraySlice<Date>) -> Double? {
            guard times.count >= window, let first = times.first, let last = times.last, last > first else { return nil }
            return Double(times.count - 1) / last.timeIntervalSince(first)
        }
        // Told nothing after the last result (no grace), the workers are ended now.
        // Simulated workers lose nothing: after a stop (Ctrl-C), those still waiting for receipts are not waited for.
        fleet.waitForExit(timeout: 1, grace: 1)
        fleet.terminate(grace: 1)
        if let fleetError { throw fleetError }
        let latencies = outcome.latencies.map(\.outsideWorker).sorted()
        func percentile(_ fraction: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(fraction * Double(latencies.count)))]
        }
        return Measurement(
            workers: workers, trials: outcome.counts.done, seconds: seconds,
            trialsPerSecond: Double(outcome.counts.done) / seconds,
            millisecondsPerTrial: 1000 * seconds / Double(max(outcome.counts.done, 1)),
            dispatchToStoredMean: 1000 * latencies.reduce(0, +) / Double(max(latencies.count, 1)),
            dispatchToStoredMedian: 1000 * percentile(0.5), dispatchToStored99: 1000 * percentile(0.99),
            coordinatorProcessorSeconds: processorSeconds, coordinatorResidentBytes: ResourceUsage.currentResidentBytes,
            firstWindowTrialsPerSecond: windowRate(storedTimes.prefix(window)),
            lastWindowTrialsPerSecond: windowRate(storedTimes.suffix(window)), storeBytes: store.fileBytes)
    }
}
