// What the coordinator knows while it runs, kept in one place and owned by its socket's thread.

import DequeModule
import Foundation
import Sweep
import Training

/// The coordinator's in-memory view of the sweep: trials waiting, trials running and where, the workers
/// it has heard from, and the best result so far. The store holds the durable truth; this mirrors it.
struct CoordinatorState {
    struct WorkerInfo {
        var name: String
        var host: String
        var processId: Int32
        var lastSeen = ContinuousClock.now
    }

    /// A trial leased to a worker. The lease lasts while the worker is heard from (any message renews
    /// it); `peer` is nil for a lease an earlier coordinator gave, until its worker reattaches.
    struct RunningTrial {
        var trial: Trial
        var peer: Data?
        var worker: String
        var attempt: Int
        var dispatchedAt: ContinuousClock.Instant
        var leaseExpires: ContinuousClock.Instant
        var epoch = 0
    }

    let spec: SweepSpec
    let startedAt = ContinuousClock.now
    /// Trials to hand out, first come first served; a trial handed back goes to the front.
    var pending: Deque<Trial>
    var running: [TrialIdentifier: RunningTrial] = [:]
    var workers: [Data: WorkerInfo] = [:]
    /// The early-stopping rule's state, when the spec has one.
    var scheduler: EarlyStoppingScheduler?
    /// Messages for other workers than the one whose message is being handled (a stop for every seed of
    /// a stopped configuration), sent once the batch they belong to is committed.
    var outbox: [(peer: Data, message: ClusterMessage)] = []
    var rejectedMessages = 0
    var dispatchToStoredSeconds: [Double] = []
    private var finishedSeconds: [Double] = []
    private var best: (id: TrialIdentifier, value: Double)?

    init(spec: SweepSpec, pending: [Trial], results: [TrialResult]) {
        self.spec = spec
        self.pending = Deque(pending)
        for result in results { consider(result) }
    }

    /// Nothing left to hand out and nothing running.
    var isComplete: Bool { pending.isEmpty && running.isEmpty }

    func name(of peer: Data) -> String {
        workers[peer]?.name ?? "peer " + peer.map { String(format: "%02x", $0) }.joined()
    }

    /// The workers heard from, as the no-worker rule sees them.
    var sightings: [NoWorkerLeftRule.Sighting] {
        workers.values.map { .init(host: $0.host, processId: $0.processId, lastSeen: $0.lastSeen) }
    }

    /// Any message from `peer` renews the leases of its trials by `leaseTimeout`.
    mutating func touch(_ peer: Data, leaseTimeout: Duration) {
        let now = ContinuousClock.now
        workers[peer]?.lastSeen = now
        for (id, running) in running where running.peer == peer {
            self.running[id]?.leaseExpires = now + leaseTimeout
        }
    }

    /// The trials whose lease has run out.
    func expiredLeases(at now: ContinuousClock.Instant = .now) -> [RunningTrial] {
        running.values.filter { $0.leaseExpires < now }
    }

    func trial(_ id: TrialIdentifier) -> Trial? {
        running[id]?.trial ?? pending.first { $0.id == id }
    }

    mutating func dispatched(_ trial: Trial, to peer: Data?, worker: String, attempt: Int, leaseTimeout: Duration) {
        running[trial.id] = RunningTrial(
            trial: trial, peer: peer, worker: worker, attempt: attempt, dispatchedAt: .now,
            leaseExpires: .now + leaseTimeout)
    }

    /// A result arrived; `result` is nil when the store already had one (a repeated message).
    mutating func finished(_ id: TrialIdentifier, result: TrialResult?) {
        if let running = running.removeValue(forKey: id) {
            dispatchToStoredSeconds.append((ContinuousClock.now - running.dispatchedAt).seconds)
        } else {
            // A late result for a trial that was handed back and is waiting again.
            pending.removeAll { $0.id == id }
        }
        if let result {
            finishedSeconds.append(result.seconds)
            consider(result)
        }
    }

    /// Takes a trial that failed or that early stopping ended out of the running or pending ones; returns
    /// its lease when it was running.
    @discardableResult
    mutating func remove(_ id: TrialIdentifier) -> RunningTrial? {
        if let running = running.removeValue(forKey: id) { return running }
        pending.removeAll { $0.id == id }
        return nil
    }

    /// Puts a running trial back at the front of the queue.
    mutating func requeue(_ id: TrialIdentifier) {
        guard let running = running.removeValue(forKey: id) else { return }
        pending.prepend(running.trial)
    }

    private mutating func consider(_ result: TrialResult) {
        guard let value = spec.rankBy.value(in: result.summary) else { return }
        if let best, !spec.rankBy.isBetter(value, than: best.value) { return }
        best = (result.trial.id, value)
    }

    func status(store: SweepStore) -> SweepStatus {
        let counts = (try? store.counts()) ?? StateCounts()
        let elapsed = (ContinuousClock.now - startedAt).seconds
        var estimate: Double?
        if !finishedSeconds.isEmpty {
            let mean = finishedSeconds.reduce(0, +) / Double(finishedSeconds.count)
            let parallel = Double(max(running.count, 1))
            estimate = (Double(pending.count) + 0.5 * Double(running.count)) * mean / parallel
        }
        return SweepStatus(
            sweep: spec.name, total: counts.total, done: counts.done, failed: counts.failed, stopped: counts.stopped,
            running: running.count,
            pending: pending.count, workers: workers.count, elapsedSeconds: elapsed, estimatedSecondsLeft: estimate,
            bestTrial: best?.id, bestValue: best?.value, rankBy: spec.rankBy.description,
            rejectedMessages: rejectedMessages,
            runningTrials: running.values.sorted { $0.trial.id < $1.trial.id }.map {
                SweepStatus.RunningTrial(
                    trialId: $0.trial.id, worker: $0.worker, epoch: $0.epoch, epochs: $0.trial.configuration.epochs)
            })
    }
}
