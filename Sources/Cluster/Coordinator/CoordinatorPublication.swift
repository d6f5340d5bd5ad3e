import CoreMetrics

/// What a coordinator tells those who watch it — a live view, a monitoring system — without ever waiting for
/// them: a call after each commit of the store (cheap: it only signals), a detailed status every second, and
/// its measurements through swift-metrics.
public struct CoordinatorPublication: Sendable {
    /// Called on the coordinator's thread after each commit of store writes; must return at once.
    public var committed: @Sendable () -> Void
    /// Where the coordinator's measurements go (e.g. a Prometheus registry's factory).
    public var metricsFactory: any MetricsFactory

    public init(committed: @escaping @Sendable () -> Void, metricsFactory: any MetricsFactory) {
        self.committed = committed
        self.metricsFactory = metricsFactory
    }
}

/// The coordinator's measurements, made with a publication's factory: store commits, results, rejected
/// messages, trials by state, the pending queue and the workers connected.
final class CoordinatorMetrics: Sendable {
    let commitDuration: CoreMetrics.Timer
    let resultsStored: Counter
    let rejectedMessages: Counter
    let trials: [String: Gauge]
    let pendingQueue: Gauge
    let connectedWorkers: Gauge

    init(factory: any MetricsFactory) {
        commitDuration = CoreMetrics.Timer(label: "aesweep_store_commit_seconds", factory: factory)
        resultsStored = Counter(label: "aesweep_results_stored_total", factory: factory)
        rejectedMessages = Counter(label: "aesweep_rejected_messages_total", factory: factory)
        trials = Dictionary(
            uniqueKeysWithValues: ["pending", "running", "done", "failed", "stopped"].map { state in
                (state, Gauge(label: "aesweep_trials", dimensions: [("state", state)], factory: factory))
            })
        pendingQueue = Gauge(label: "aesweep_pending_queue_depth", factory: factory)
        connectedWorkers = Gauge(label: "aesweep_connected_workers", factory: factory)
    }

    /// Sets the gauges from a status, and counts the messages rejected since the last one.
    func record(_ status: SweepStatus, rejectedBefore: Int) {
        trials["pending"]?.record(status.pending)
        trials["running"]?.record(status.running)
        trials["done"]?.record(status.done)
        trials["failed"]?.record(status.failed)
        trials["stopped"]?.record(status.stopped)
        pendingQueue.record(status.pending)
        connectedWorkers.record(status.workers)
        if status.rejectedMessages > rejectedBefore {
            rejectedMessages.increment(by: status.rejectedMessages - rejectedBefore)
        }
    }
}
