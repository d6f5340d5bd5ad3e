// `aesweep bench dashboard`: what the live view costs the coordinator, with many pages open and one stalled.

import Cluster
import Dashboard
import Foundation
import Logging
import Sweep
import Synchronization
import Threads

/// Runs the same simulated sweep five times — without a dashboard, with one nobody watches, with only
/// `stalledClients` that never read, with `clients` event streams reading, and with both — and measures the coordinator's
/// dispatch→stored latency in each, the memory the clients cost, and whether the stalled ones make it grow.
public struct DashboardBenchmark: Sendable {
    /// One run's figures.
    public struct Measurement: Codable, Sendable {
        /// `no dashboard`, `dashboard, no clients`, `dashboard, N clients + M stalled`.
        public var variant: String
        public var sweep: SweepBenchmark.Measurement
        /// Events the reading clients received, all together.
        public var eventsReceived: Int
        /// This process's resident memory (coordinator, server and the clients' sockets) when the clients had
        /// connected, and at a quarter, half and the end of the run.
        public var residentMegabytesAtStart: Double
        public var residentMegabytesDuring: [Double]
    }

    public var trials = 2000
    public var epochsPerTrial = 5
    public var workers = 4
    /// Run the simulated workers in one process (`worker --simulate --count N`).
    public var workersInOneProcess = false
    public var clients = 100
    public var stalledClients = 1
    public var executable: URL

    public init(executable: URL) {
        self.executable = executable
    }

    func specText() -> String {
        SweepBenchmark.specText(name: "bench-dashboard", trials: trials, epochs: epochsPerTrial)
    }

    public func run(logger: Logger) async throws -> [Measurement] {
        let spec = try SweepSpec.parse(specText(), file: "bench-dashboard.yaml")
        var sweep = SweepBenchmark(executable: executable)
        sweep.trials = trials
        sweep.workersInOneProcess = workersInOneProcess
        var measurements: [Measurement] = []
        // Memory freed by one run stays with the process (the allocator keeps it), so the stalled clients alone
        // run right after the unwatched dashboard, before the runs with many clients: their resident memory
        // compares with its.
        let variants = [
            (false, 0, 0), (true, 0, 0), (true, 0, stalledClients), (true, clients, 0), (true, clients, stalledClients),
        ]
        for (dashboard, clientCount, stalled) in variants {
            let variant =
                !dashboard
                ? "no dashboard"
                : clientCount + stalled == 0 ? "dashboard, no clients" : "dashboard, \(clientCount) clients + \(stalled) stalled"
            measurements.append(
                try await measure(
                    variant: variant, spec: spec, sweep: sweep, dashboard: dashboard, clients: clientCount,
                    stalled: stalled, logger: logger))
        }
        return measurements
    }

    private func measure(
        variant: String, spec: SweepSpec, sweep: SweepBenchmark, dashboard: Bool, clients: Int, stalled: Int,
        logger: Logger
    ) async throws -> Measurement {
        let server = Mutex<DashboardServer?>(nil)
        let reader = Mutex<EventStreamReader?>(nil)
        let samples = Mutex<[Double]>([])
        let start = Mutex<Double>(0)
        let total = trials
        let result = try await DedicatedThread.run(name: "aesweep.coord") { () throws -> SweepBenchmark.Measurement in
            try sweep.measure(
                spec: spec, workers: workers, logger: logger,
                prepare: { directory, options in
                    defer { start.withLock { $0 = Double(ResourceUsage.currentResidentBytes) / 1e6 } }
                    guard dashboard else { return }
                    // The server starts on Swift's pool; this thread waits for its address.
                    let started = try Self.blocking {
                        try await DashboardServer.start(
                            runDirectory: directory, spec: spec, live: true,
                            configuration: .init(address: DashboardAddress(host: "127.0.0.1", port: 0), addressIsExplicit: true),
                            logger: logger)
                    }
                    server.withLock { $0 = started }
                    options.publication = started.publication
                    if clients + stalled > 0 {
                        reader.withLock { $0 = try? EventStreamReader(port: started.address.port, count: clients, stalled: stalled) }
                    }
                },
                onStatus: { status in
                    server.withLock { $0 }?.publish(status)
                    let done = status.done
                    samples.withLock { list in
                        let quarter = list.count + 1
                        if quarter <= 4, done * 4 >= quarter * total {
                            list.append(Double(ResourceUsage.currentResidentBytes) / 1e6)
                        }
                    }
                })
        }
        let events = reader.withLock { $0 }?.events ?? 0
        reader.withLock { $0 }?.close()
        if let running = server.withLock({ $0 }) { await running.stop() }
        return Measurement(
            variant: variant, sweep: result, eventsReceived: events,
            residentMegabytesAtStart: start.withLock { $0 }, residentMegabytesDuring: samples.withLock { $0 })
    }

    /// Runs async `body` to its end from a thread that may block (not one of Swift's pool).
    private static func blocking<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<Value, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0 }!.get()
    }
}
